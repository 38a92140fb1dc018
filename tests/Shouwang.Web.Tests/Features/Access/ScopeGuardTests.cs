using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Access;

/// <summary>The backstop in AppDbContext.SaveChangesAsync, below every handler: what a context refuses to write for its caller.</summary>
public abstract class ScopeGuardTests(AppFactory factory) : ApiTestBase(factory)
{
    private AppDbContext ContextFor(Caller caller)
    {
        using var _ = CallerContext.Use(caller);
        return Factory.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();
    }

    private static Caller Clerk(string community) => new(Guid.NewGuid(), "clerk", StaffRoles.CommunityWorker, community,
        long.Parse(community), long.Parse(community), null);

    [Fact]
    public async Task ARowCannotBePulledInFromAnotherCommunity_NorPushedOut()
    {
        var household = await Data.HouseholdAsync(TestData.SiblingCommunity);
        var (personId, _) = await Data.PersonAsync(household, "外社区居民");

        // Pulled in: a row of the sibling community, attached by hand and relabelled as ours.
        await using (var db = ContextFor(Clerk(TestData.Community)))
        {
            await using var system = Factory.CreateDbContext();
            var row = await system.Persons.AsNoTracking().SingleAsync(p => p.Id == personId, Ct);
            db.Attach(row);
            row.CommunityCode = long.Parse(TestData.Community);
            row.Name = "被拉走";
            await Assert.ThrowsAsync<ScopeViolationException>(() => db.SaveChangesAsync(Ct));
        }

        // Pushed out: one of ours, relabelled as the sibling's.
        var own = await Data.HouseholdAsync(TestData.Community);
        var (ownId, _) = await Data.PersonAsync(own, "本社区居民");
        await using (var db = ContextFor(Clerk(TestData.Community)))
        {
            var row = await db.Persons.SingleAsync(p => p.Id == ownId, Ct);
            row.CommunityCode = long.Parse(TestData.SiblingCommunity);
            await Assert.ThrowsAsync<ScopeViolationException>(() => db.SaveChangesAsync(Ct));
        }

        await using var check = Factory.CreateDbContext();
        Assert.Equal("外社区居民", (await check.Persons.SingleAsync(p => p.Id == personId, Ct)).Name);
        Assert.Equal(long.Parse(TestData.Community), (await check.Persons.SingleAsync(p => p.Id == ownId, Ct)).CommunityCode);
    }

    [Fact]
    public async Task AGridWorker_WritesOnlyTheirOwnGrid()
    {
        var mine = await Data.GridAsync(TestData.Community);
        var other = await Data.GridAsync(TestData.Community);
        var household = await Data.HouseholdAsync(TestData.Community, mine.Id);
        var (personId, _) = await Data.PersonAsync(household, "本网格居民");
        var worker = new Caller(Guid.NewGuid(), "grid", StaffRoles.GridWorker, TestData.Community,
            long.Parse(TestData.Community), long.Parse(TestData.Community), mine.Id);

        await using (var db = ContextFor(worker))
        {
            var row = await db.Persons.SingleAsync(p => p.Id == personId, Ct);
            row.Notes = "可以改";
            await db.SaveChangesAsync(Ct);
            row.GridId = other.Id;
            await Assert.ThrowsAsync<ScopeViolationException>(() => db.SaveChangesAsync(Ct));
        }
        await using var check = Factory.CreateDbContext();
        var saved = await check.Persons.SingleAsync(p => p.Id == personId, Ct);
        Assert.Equal((mine.Id, "可以改"), (saved.GridId!.Value, saved.Notes));
    }
}

public sealed class ScopeGuardTests_Sqlite(SqliteAppFactory factory) : ScopeGuardTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class ScopeGuardTests_Postgres(PostgresAppFactory factory) : ScopeGuardTests(factory), IClassFixture<PostgresAppFactory>;
