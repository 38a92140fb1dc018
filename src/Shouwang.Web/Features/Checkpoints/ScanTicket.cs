using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Checkpoints;

/// <summary>The pass-card rule a ticket's household was under, so the passage can take a slot without reading it again.</summary>
public sealed record TicketPass(Guid Rule, int Allowed, int WindowDays, int MaxHours, long Community, Guid? Grid)
{
    public static TicketPass? Of(PassState? pass) =>
        pass is null ? null : new TicketPass(pass.RuleId, pass.Allowed, pass.WindowDays, pass.MaxHoursOut, pass.CommunityCode, pass.GridId);

    /// <summary>The window of the day the passage happened (an offline exit synced tomorrow still counts for its own day).</summary>
    public int WindowOn(DateOnly day) => Shouwang.Domain.PassCards.PassCardRule.WindowFor(day, WindowDays);
}

/// <summary>
/// What a scan decided, sealed so the confirming passage can trust it for a while without gathering the facts again. Tickets
/// are signed, not encrypted: they carry masked names and digests only. <see cref="Reasons"/> never include the pass quota:
/// the writer enforces that at commit.
/// </summary>
public sealed record ScanTicket(
    Guid Checkpoint, PassageKind Kind, PassageSource Source, Guid? Person, Guid? Household, string? Visitor, bool LivesHere, int? Doses,
    string? Origin, IReadOnlyList<DecisionReason> Reasons, DateTimeOffset At, long? Community, Guid? Grid, string? Name, TicketPass? Pass)
{
    public const string Purpose = "checkpoint-scan";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public Task<string> SealAsync(CodeSigner signer, CancellationToken cancellationToken) =>
        signer.SealAsync(Purpose, JsonSerializer.Serialize(this, Options), cancellationToken);

    /// <summary>The ticket if untampered and not older than <see cref="Lifetime"/>; null otherwise.</summary>
    public static async Task<ScanTicket?> OpenAsync(CodeSigner signer, string? ticket, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await signer.UnsealAsync(Purpose, ticket, cancellationToken) is not { } payload) return null;
        try
        {
            var opened = JsonSerializer.Deserialize<ScanTicket>(payload, Options);
            return opened is not null && opened.At <= now.AddMinutes(1) && now - opened.At <= Lifetime ? opened : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The facts behind the sealed reasons, so the rules can run again with the operator's observation.</summary>
    public SubjectFacts Facts()
    {
        var facts = new SubjectFacts { LivesHere = LivesHere, VaccinationDoses = Doses };
        var denials = new List<BlockingFact>();
        foreach (var reason in Reasons)
        {
            var fact = new BlockingFact(reason.Detail ?? "", reason.Basis ?? "");
            facts = reason.Code switch
            {
                ReasonCode.ToBeTransferred => facts with { ToBeTransferred = fact },
                ReasonCode.RedCode => facts with { Colour = StatusColour.Red, ColourReasons = SplitColourReasons(reason.Detail) },
                ReasonCode.YellowCode => facts with { Colour = StatusColour.Yellow, ColourReasons = SplitColourReasons(reason.Detail) },
                ReasonCode.Quarantined => facts with { HomeQuarantine = fact },
                ReasonCode.LockdownArea => facts with { Lockdown = fact },
                ReasonCode.RiskOrigin => facts with { RiskOrigin = fact },
                _ => facts,
            };
            if (reason.Code == ReasonCode.DeniedByRestriction) denials.Add(fact);
        }
        return facts with { Denials = denials };
    }

    private static List<string> SplitColourReasons(string? detail) =>
        string.IsNullOrEmpty(detail) ? [] : [.. detail.Split('；')];
}

/// <summary>One reason as the gate shows it: translated name, the data behind it and its basis.</summary>
public sealed record ReasonView(ReasonCode Code, PassageVerdict Verdict, string Label, string? Detail, string? Basis, bool Alerts)
{
    public static IReadOnlyList<ReasonView> From(IEnumerable<DecisionReason> reasons, IStringLocalizer<CheckpointsResource> l) =>
        reasons.Select(r => new ReasonView(r.Code, r.Verdict, l[$"Reason.{r.Code}"], r.Detail, r.Basis, r.Alerts)).ToList();
}
