using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Registry;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.RiskAreas;

/// <summary>A compound with one building and residents in it, made through the registry's own use cases.</summary>
public sealed record Place(Guid CompoundId, Guid BuildingId, Guid GridId, IReadOnlyList<Guid> Residents);

public static class RiskAreaTestData
{
    public static async Task<Place> BuildingWithResidentsAsync(this AppFactory factory, string community = TestData.Community, int households = 2, string? phone = "13912345678")
    {
        var data = new TestData(factory);
        var grid = await data.GridAsync(community);
        using var _ = CallerContext.AsSystem();
        var places = factory.Get<ManagePlaces>();
        var compound = Success(await places.AddCompoundAsync(community, new CompoundInput($"小区{Guid.NewGuid():N}"[..10])));
        var building = Success(await places.AddBuildingAsync(compound.Id, new BuildingInput($"{Random.Shared.Next(1, 99)}号楼{Guid.NewGuid():N}"[..8])));
        var residents = new List<Guid>();
        for (var i = 0; i < households; i++)
        {
            var household = Success(await factory.Get<SaveHousehold>().CreateAsync(new HouseholdInput
            {
                CommunityCode = community, GridId = grid.Id, CompoundId = compound.Id, BuildingId = building.Id, Address = $"{compound.Name}{building.Name}{101 + i}室",
            }));
            residents.Add((await data.PersonAsync(household.Id, name: $"居民{i}", phone: phone)).Id);
        }
        return new Place(compound.Id, building.Id, grid.Id, residents);
    }

    private static T Success<T>(Outcome<T> outcome) => outcome is Outcome<T>.Success s
        ? s.Value
        : throw new InvalidOperationException($"Test data could not be created: {outcome}");
}
