using Shouwang.Domain.People;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Registry;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Tests.Infrastructure;

/// <summary>Small builders for registry data, through the app's own use cases so tests start from valid states.</summary>
public sealed class TestData(AppFactory factory)
{
    /// <summary>晏家湾社区 and 流芳社区 of 金山街道, shipped with the app's divisions.</summary>
    public const string Community = "430202005001";
    public const string SiblingCommunity = "430202005002";
    public const string Street = "430202005";

    /// <summary>
    /// A valid number not handed out before in this test process: tests that fix the birth date leave only 500 numbers
    /// of one sex per day, so random picks alone collide (the birthday problem) and the second person is a 409.
    /// </summary>
    public static string NewIdNumber(bool male = true, DateOnly? birth = null)
    {
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var date = birth ?? new DateOnly(1950, 1, 1).AddDays(Random.Shared.Next(0, 365 * 60));
            var sequence = Random.Shared.Next(0, 500) * 2 + (male ? 1 : 0);
            var number = IdCardNumber.FromFirst17($"430202{date:yyyyMMdd}{sequence:000}").Value;
            lock (IssuedNumbers)
            {
                if (IssuedNumbers.Add(number)) return number;
            }
        }
        throw new InvalidOperationException($"No unused ID number left for {birth:yyyy-MM-dd}.");
    }

    private static readonly HashSet<string> IssuedNumbers = [];

    public async Task<GridItem> GridAsync(string community = Community, string? name = null)
    {
        using var _ = CallerContext.AsSystem();
        var outcome = await factory.Get<ManagePlaces>().AddGridAsync(community, new GridInput(name ?? $"网格{Guid.NewGuid():N}"[..12], [new GridStaffInput("李网格", "13800000001", Domain.Registry.GridRole.Leader)]));
        return Success(outcome);
    }

    public async Task<Guid> HouseholdAsync(string community = Community, Guid? gridId = null, string? address = null)
    {
        using var _ = CallerContext.AsSystem();
        gridId ??= (await GridAsync(community)).Id;
        var outcome = await factory.Get<SaveHousehold>().CreateAsync(new HouseholdInput
        {
            CommunityCode = community, GridId = gridId, Address = address ?? $"测试小区{Random.Shared.Next(1, 99)}栋{Random.Shared.Next(101, 2999)}室-{Guid.NewGuid():N}"[..30],
        });
        return Success(outcome).Id;
    }

    public async Task<(Guid Id, string DocumentNumber)> PersonAsync(Guid householdId, string? name = null, string? phone = null,
        VulnerabilityTags tags = VulnerabilityTags.None, RelationToHead relation = RelationToHead.Head)
    {
        using var _ = CallerContext.AsSystem();
        var document = NewIdNumber();
        var outcome = await factory.Get<SavePerson>().CreateAsync(new PersonInput
        {
            DocumentNumber = document, Name = name ?? "张测试", Phone = phone, HouseholdId = householdId, Tags = tags, RelationToHead = relation,
        });
        return (Success(outcome).Id, document);
    }

    private static T Success<T>(Outcome<T> outcome) => outcome is Outcome<T>.Success s
        ? s.Value
        : throw new InvalidOperationException($"Test data could not be created: {outcome}");
}

/// <summary>The person list as the API returns it.</summary>
public sealed record PagedPersons(List<PersonListItem> Items, int Total, int Page, int PageSize);
