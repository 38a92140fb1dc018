using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Alerts;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.PassCards;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.PassCards;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Features.CheckpointLogs;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.PassCards;

public abstract class PassCardsTests(AppFactory factory) : ApiTestBase(factory)
{
    private const string Community = CheckpointLogData.Community;
    private const string Sibling = CheckpointLogData.SiblingCommunity;

    [Fact]
    public async Task Rule_PutThenGet_ValidatesEachField_AndOnlyManagersWrite()
    {
        var put = await Client.PutAsJsonAsync($"/api/v1/pass-cards/rules/{Community}", new { personsPerWindow = 1, windowDays = 2, maxHoursOut = 4, isActive = true }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var rule = await Client.GetFromJsonAsync<PassCardRuleItem>($"/api/v1/pass-cards/rules/{Community}", Json, Ct);
        Assert.True(rule!.Configured);
        Assert.Equal((1, 2, 4, true), (rule.PersonsPerWindow, rule.WindowDays, rule.MaxHoursOut, rule.IsActive));
        Assert.Equal("每户每2天限1人外出，每次不超过4小时", rule.Text);
        Assert.Contains(await Client.GetFromJsonAsync<List<PassCardRuleItem>>("/api/v1/pass-cards/rules", Json, Ct) ?? [], r => r.CommunityCode == Community);

        var bad = await Client.PutAsJsonAsync($"/api/v1/pass-cards/rules/{Community}", new { personsPerWindow = 11, windowDays = 0, maxHoursOut = 25, isActive = true }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct))!.Errors;
        Assert.Equal(["MaxHoursOut", "PersonsPerWindow", "WindowDays"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, (await Client.GetFromJsonAsync<PassCardRuleItem>($"/api/v1/pass-cards/rules/{Community}", Json, Ct))!.WindowDays);

        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, Sibling);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PutAsJsonAsync($"/api/v1/pass-cards/rules/{Community}", new { personsPerWindow = 3, windowDays = 1, maxHoursOut = 4, isActive = true }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/pass-cards/rules/{Community}", Ct)).StatusCode);
        Assert.DoesNotContain(await sibling.GetFromJsonAsync<List<PassCardRuleItem>>("/api/v1/pass-cards/rules", Json, Ct) ?? [], r => r.CommunityCode == Community);
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, Community);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PutAsJsonAsync($"/api/v1/pass-cards/rules/{Community}", new { personsPerWindow = 3, windowDays = 1, maxHoursOut = 4, isActive = true }, Ct)).StatusCode);
        using var guard = await Factory.ClientForAsync(StaffRoles.CheckpointGuard, Community);
        Assert.Equal(HttpStatusCode.Forbidden, (await guard.PutAsJsonAsync($"/api/v1/pass-cards/rules/{Community}", new { personsPerWindow = 3, windowDays = 1, maxHoursOut = 4, isActive = true }, Ct)).StatusCode);
        Assert.Equal(1, (await Client.GetFromJsonAsync<PassCardRuleItem>($"/api/v1/pass-cards/rules/{Community}", Json, Ct))!.PersonsPerWindow);
    }

    [Fact]
    public async Task IssueForAGrid_GivesEveryHouseholdOneCard_AndAgainNothing()
    {
        var grid = await Data.GridAsync(Community);
        var households = new List<Guid>();
        for (var i = 0; i < 6; i++) households.Add(await Data.HouseholdAsync(Community, grid.Id));
        await Data.PersonAsync(households[0], name: "张户主");

        var issued = await Client.PostAsJsonAsync("/api/v1/pass-cards/issue", new { communityCode = Community, gridId = grid.Id }, Ct);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Equal(new PassCardsIssued(6, 6), await issued.Content.ReadFromJsonAsync<PassCardsIssued>(Json, Ct));
        var again = await Client.PostAsJsonAsync("/api/v1/pass-cards/issue", new { communityCode = Community, gridId = grid.Id }, Ct);
        Assert.Equal(new PassCardsIssued(0, 6), await again.Content.ReadFromJsonAsync<PassCardsIssued>(Json, Ct));
        await using (var db = Factory.CreateDbContext())
            Assert.Equal(6, await db.PassCards.CountAsync(c => c.GridId == grid.Id, Ct));

        var bad = await Client.PostAsJsonAsync("/api/v1/pass-cards/issue", new { communityCode = "4302", gridId = grid.Id }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("CommunityCode", (await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct))!.Errors.Keys);
        var wrongGrid = await Client.PostAsJsonAsync("/api/v1/pass-cards/issue", new { communityCode = Community, gridId = Guid.NewGuid() }, Ct);
        Assert.Contains("GridId", (await wrongGrid.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct))!.Errors.Keys);

        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, Sibling);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync("/api/v1/pass-cards/issue", new { communityCode = Community }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/households/{households[0]}/pass-card", Ct)).StatusCode);
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, Community);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync("/api/v1/pass-cards/issue", new { communityCode = Community }, Ct)).StatusCode);

        var account = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, Community);
        using var console = await Factory.ConsoleClientAsync(account);
        var page = await console.GetAsync($"/pass-cards/grid/{grid.Id}", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Equal(6, html.Split("data-household=").Length - 1);
        Assert.Contains("<svg", html);
        Assert.Contains("张*主", html);
        Assert.DoesNotContain("张户主", html);
        using var siblingConsole = await Factory.ConsoleClientAsync(await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, Sibling));
        Assert.Equal(HttpStatusCode.NotFound, (await siblingConsole.GetAsync($"/pass-cards/grid/{grid.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task IssueForFiveThousandHouseholds_IsOneBulkWrite()
    {
        var grid = await Data.GridAsync(Community);
        await using (var db = Factory.CreateDbContext())
        {
            db.AuditEntityWrites = false;
            var now = DateTime.UtcNow;
            var tag = Guid.NewGuid().ToString("N")[..8];
            db.Households.AddRange(Enumerable.Range(0, 5000).Select(i => new Domain.Registry.Household
            {
                CommunityCode = long.Parse(Community, System.Globalization.CultureInfo.InvariantCulture), GridId = grid.Id,
                Address = $"批量小区{tag}-{i}室", CreatedAt = now, UpdatedAt = now,
            }));
            await db.SaveChangesAsync(Ct);
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await Client.PostAsJsonAsync("/api/v1/pass-cards/issue", new { communityCode = Community, gridId = grid.Id }, Ct);
        watch.Stop();
        Assert.Equal(new PassCardsIssued(5000, 5000), await response.Content.ReadFromJsonAsync<PassCardsIssued>(Json, Ct));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
        await using (var db = Factory.CreateDbContext())
        {
            Assert.Equal(5000, await db.PassCards.CountAsync(c => c.GridId == grid.Id, Ct));
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.EntityType == "PassCard" && a.EntityId == grid.Id.ToString() && a.RowCount == 5000, Ct));
        }
    }

    [Fact]
    public async Task Reissue_BumpsTheSerial_SoTheOldCodeNoLongerMatches()
    {
        var household = await Data.HouseholdAsync(Community);
        var first = await Client.GetFromJsonAsync<PassCardItem>($"/api/v1/households/{household}/pass-card", Json, Ct);
        Assert.Equal(1, first!.Serial);
        Assert.StartsWith("SWH1:", first.Code);
        Assert.Equal(first.Id, (await Client.GetFromJsonAsync<PassCardItem>($"/api/v1/households/{household}/pass-card", Json, Ct))!.Id);

        var reissue = await Client.PostAsync($"/api/v1/households/{household}/pass-card/reissue", null, Ct);
        Assert.Equal(HttpStatusCode.OK, reissue.StatusCode);
        var second = await reissue.Content.ReadFromJsonAsync<PassCardItem>(Json, Ct);
        Assert.Equal(2, second!.Serial);
        Assert.NotEqual(first.Code, second.Code);

        var old = await Factory.Get<CodeSigner>().ReadAsync(first.Code, Ct);
        Assert.Equal(new CodeContent(CodeKind.PassCard, first.Id, 1), old);
        await using (var db = Factory.CreateDbContext())
        {
            var card = await db.PassCards.SingleAsync(c => c.Id == old!.Value.Id, Ct);
            Assert.NotEqual(old!.Value.Serial, card.Serial);
            Assert.Null(card.RevokedAt);
        }

        var revoked = await (await Client.PostAsync($"/api/v1/households/{household}/pass-card/revoke", null, Ct)).Content.ReadFromJsonAsync<PassCardItem>(Json, Ct);
        Assert.NotNull(revoked!.RevokedAt);
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, Community);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsync($"/api/v1/households/{household}/pass-card/reissue", null, Ct)).StatusCode);
        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, Sibling);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsync($"/api/v1/households/{household}/pass-card/reissue", null, Ct)).StatusCode);
        await using (var db = Factory.CreateDbContext())
            Assert.Equal(2, (await db.PassCards.SingleAsync(c => c.HouseholdId == household, Ct)).Serial);
    }

    [Fact]
    public async Task OverdueTrips_AreListed_AndAlertedOncePerTrip()
    {
        var grid = await Data.GridAsync(Community);
        var household = await Data.HouseholdAsync(Community, grid.Id);
        var (personId, _) = await Data.PersonAsync(household, name: "李外出", phone: "13712345678");
        var checkpoint = await CheckpointLogData.CheckpointAsync(Factory);
        var now = DateTime.UtcNow;
        var exit = CheckpointLogData.Passage(checkpoint, now.AddHours(-6), personId: personId, kind: PassageKind.Exit);
        await CheckpointLogData.AddAsync(Factory, [exit]);
        var overdue = new PassCardTrip
        {
            HouseholdId = household, CommunityCode = checkpoint.CommunityCode, GridId = grid.Id, RuleId = Guid.NewGuid(), Window = 1, Slot = 0,
            PersonId = personId, ExitPassageId = exit.Id, ExitAt = now.AddHours(-6), DueBackAt = now.AddHours(-2),
        };
        var notYet = new PassCardTrip
        {
            HouseholdId = household, CommunityCode = checkpoint.CommunityCode, GridId = grid.Id, RuleId = overdue.RuleId, Window = 1, Slot = 1,
            PersonId = personId, ExitPassageId = Guid.NewGuid(), ExitAt = now.AddHours(-1), DueBackAt = now.AddHours(3),
        };
        var back = new PassCardTrip
        {
            HouseholdId = household, CommunityCode = checkpoint.CommunityCode, GridId = grid.Id, RuleId = overdue.RuleId, Window = 0, Slot = 0,
            PersonId = personId, ExitPassageId = Guid.NewGuid(), ExitAt = now.AddDays(-2), DueBackAt = now.AddDays(-2).AddHours(4), ReturnAt = now.AddDays(-2).AddHours(1),
        };
        await using (var db = Factory.CreateDbContext())
        {
            db.PassCardTrips.AddRange(overdue, notYet, back);
            await db.SaveChangesAsync(Ct);
        }

        var list = await Client.GetFromJsonAsync<List<OverdueTrip>>($"/api/v1/pass-cards/overdue?communityCode={Community}", Json, Ct);
        var item = Assert.Single(list!, t => t.HouseholdId == household);
        Assert.Equal(overdue.Id, item.TripId);
        Assert.Equal("李*出", item.NameMasked);
        Assert.Equal("137****5678", item.PhoneMasked);
        Assert.Equal(checkpoint.Name, item.CheckpointName);
        Assert.InRange(item.HoursOverdue, 1.9, 2.2);
        var open = await Client.GetFromJsonAsync<Paged<PassCardTripItem>>($"/api/v1/pass-cards/trips?communityCode={Community}&open=true&pageSize=200", Json, Ct);
        Assert.Contains(open!.Items, t => t.Id == notYet.Id && !t.Overdue);
        Assert.DoesNotContain(open.Items, t => t.Id == back.Id);

        // The timer's work, run twice directly, and once more over HTTP: one alert.
        using (Web.Features.Accounts.CallerContext.AsSystem())
        {
            await Factory.Get<PassCardOverdueAlerts>().RaiseAsync(Ct);
            await Factory.Get<PassCardOverdueAlerts>().RaiseAsync(Ct);
        }
        var run = await Client.PostAsync("/api/v1/pass-cards/overdue/alerts", null, Ct);
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        await using (var db = Factory.CreateDbContext())
        {
            var alert = Assert.Single(await db.Alerts.Where(a => a.SubjectId == overdue.Id).ToListAsync(Ct));
            Assert.Equal(AlertKind.PassCardOverdue, alert.Kind);
            Assert.Equal(grid.Id, alert.GridId);
            Assert.Equal(checkpoint.CommunityCode, alert.CommunityCode);
            Assert.False(await db.Alerts.AnyAsync(a => a.SubjectId == notYet.Id || a.SubjectId == back.Id, Ct));
        }

        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, Sibling);
        Assert.DoesNotContain(await sibling.GetFromJsonAsync<List<OverdueTrip>>("/api/v1/pass-cards/overdue", Json, Ct) ?? [], t => t.HouseholdId == household);
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, Community);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsync("/api/v1/pass-cards/overdue/alerts", null, Ct)).StatusCode);
    }
}

public sealed class PassCardsTests_Sqlite(SqliteAppFactory f) : PassCardsTests(f), IClassFixture<SqliteAppFactory>;
public sealed class PassCardsTests_Postgres(PostgresAppFactory f) : PassCardsTests(f), IClassFixture<PostgresAppFactory>;
