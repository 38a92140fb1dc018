using Shouwang.Domain.Checkpoints;
using Shouwang.Web.Features.Checkpoints;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.CheckpointLogs;

/// <summary>Checkpoints and passages written straight to the database, for the log, live view and vehicle suites.</summary>
public static class CheckpointLogData
{
    /// <summary>湘华社区 and its neighbour: checkpoint suites keep to committees of their own.</summary>
    public const string Community = "430202005003";
    public const string SiblingCommunity = "430202005004";

    public static async Task<Checkpoint> CheckpointAsync(AppFactory factory, CheckpointKind kind = CheckpointKind.CompoundGate, string community = Community, decimal feverThreshold = 37.3m)
    {
        await using var db = factory.CreateDbContext();
        var checkpoint = new Checkpoint
        {
            Name = $"卡口{Guid.NewGuid():N}"[..10], Kind = kind, CommunityCode = long.Parse(community, System.Globalization.CultureInfo.InvariantCulture),
            GuardedCode = community, Location = "测试路口", FeverThreshold = feverThreshold, YellowCode = Checkpoint.DefaultYellowCode(kind),
            CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        db.Checkpoints.Add(checkpoint);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return checkpoint;
    }

    public static Passage Passage(Checkpoint checkpoint, DateTime at, PassageVerdict verdict = PassageVerdict.Allow, decimal? temperature = null,
        Guid? personId = null, PassageKind kind = PassageKind.Entry, IReadOnlyList<DecisionReason>? reasons = null, bool? mask = null) => new()
    {
        Id = Guid.CreateVersion7(), Kind = kind, CheckpointId = checkpoint.Id, CommunityCode = checkpoint.CommunityCode, At = at, ReceivedAt = at,
        PersonId = personId, Source = personId is null ? PassageSource.Visitor : PassageSource.PersonCode, Verdict = verdict,
        Reasons = PassageReasons.ToJson(reasons ?? []), Temperature = temperature, Mask = mask, OperatorName = "王值守",
    };

    public static async Task AddAsync(AppFactory factory, IEnumerable<Passage> passages)
    {
        await using var db = factory.CreateDbContext();
        db.Passages.AddRange(passages);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
