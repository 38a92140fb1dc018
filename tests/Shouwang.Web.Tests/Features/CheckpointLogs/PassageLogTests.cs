using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Shouwang.Domain.Checkpoints;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.Checkpoints;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.CheckpointLogs;

public abstract class PassageLogTests(AppFactory factory) : ApiTestBase(factory)
{
    [Fact]
    public async Task Filters_Mask_AndTranslateReasons_NewestFirst()
    {
        var checkpoint = await CheckpointLogData.CheckpointAsync(Factory);
        var grid = await Data.GridAsync(CheckpointLogData.Community);
        var household = await Data.HouseholdAsync(CheckpointLogData.Community, grid.Id);
        var (personId, document) = await Data.PersonAsync(household, name: "欧阳通行");
        var now = DateTime.UtcNow;
        var fever = new DecisionReason(ReasonCode.Fever, PassageVerdict.Hold, "38.2", "measured", Alerts: true);
        await CheckpointLogData.AddAsync(Factory, [
            CheckpointLogData.Passage(checkpoint, now.AddMinutes(-30), personId: personId, temperature: 36.5m, mask: true),
            CheckpointLogData.Passage(checkpoint, now.AddMinutes(-20), PassageVerdict.Hold, 38.2m, personId, PassageKind.Exit, [fever], mask: false),
            CheckpointLogData.Passage(checkpoint, now.AddMinutes(-10)),
        ]);

        var all = await Client.GetFromJsonAsync<Paged<PassageLogItem>>($"/api/v1/passages?checkpointId={checkpoint.Id}", Json, Ct);
        Assert.Equal(3, all!.Total);
        Assert.True(all.Items[0].At > all.Items[1].At && all.Items[1].At > all.Items[2].At);
        Assert.All(all.Items, i => Assert.Equal(checkpoint.Name, i.CheckpointName));

        var held = await Client.GetFromJsonAsync<Paged<PassageLogItem>>($"/api/v1/passages?checkpointId={checkpoint.Id}&verdict=Hold&kind=Exit", Json, Ct);
        var item = Assert.Single(held!.Items);
        Assert.Equal("欧**行", item.NameMasked);
        Assert.Equal(Shouwang.Domain.People.DocumentNumber.Mask(document), item.DocumentMasked);
        Assert.Contains("**", item.DocumentMasked);
        Assert.NotEqual(document, item.DocumentMasked);
        var reason = Assert.Single(item.Reasons);
        Assert.Equal(ReasonCode.Fever, reason.Code);
        Assert.Equal("体温异常", reason.Label);
        Assert.Equal(38.2m, item.Temperature);
        Assert.False(item.Mask);
        Assert.Equal("王值守", item.OperatorName);

        var byPerson = await Client.GetFromJsonAsync<Paged<PassageLogItem>>($"/api/v1/passages?personId={personId}", Json, Ct);
        Assert.Equal(2, byPerson!.Total);
        // From and to are local days, both included.
        var old = CheckpointLogData.Passage(checkpoint, now.AddDays(-3));
        await CheckpointLogData.AddAsync(Factory, [old]);
        var yesterday = LocalClock.DayOf(now).AddDays(-1);
        var recent = await Client.GetFromJsonAsync<Paged<PassageLogItem>>($"/api/v1/passages?checkpointId={checkpoint.Id}&from={yesterday:yyyy-MM-dd}", Json, Ct);
        Assert.Equal(3, recent!.Total);
        var earlier = await Client.GetFromJsonAsync<Paged<PassageLogItem>>($"/api/v1/passages?checkpointId={checkpoint.Id}&to={yesterday.AddDays(-1):yyyy-MM-dd}", Json, Ct);
        Assert.Equal(old.Id, Assert.Single(earlier!.Items).Id);

        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, CheckpointLogData.SiblingCommunity);
        var none = await sibling.GetFromJsonAsync<Paged<PassageLogItem>>($"/api/v1/passages?checkpointId={checkpoint.Id}", Json, Ct);
        Assert.Equal(0, none!.Total);
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, CheckpointLogData.Community);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.GetAsync("/api/v1/passages", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.GetAsync("/api/v1/passages/export", Ct)).StatusCode);
    }

    [Fact]
    public async Task Export_IsXlsxWithTheRows_AndAudited()
    {
        var checkpoint = await CheckpointLogData.CheckpointAsync(Factory);
        var now = DateTime.UtcNow;
        await CheckpointLogData.AddAsync(Factory, Enumerable.Range(1, 5).Select(i => CheckpointLogData.Passage(checkpoint, now.AddMinutes(-i), temperature: 36.4m)));

        var response = await Client.GetAsync($"/api/v1/passages/export?checkpointId={checkpoint.Id}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ExcelExport.ContentType, response.Content.Headers.ContentType!.MediaType);
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(checkpoint.Name, r["卡口/场所"]?.ToString()));

        await using var db = Factory.CreateDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.Export && a.EntityType == "List:Passages" && a.RowCount == 5, Ct));
    }
}

public sealed class PassageLogTests_Sqlite(SqliteAppFactory f) : PassageLogTests(f), IClassFixture<SqliteAppFactory>;
public sealed class PassageLogTests_Postgres(PostgresAppFactory f) : PassageLogTests(f), IClassFixture<PostgresAppFactory>;
