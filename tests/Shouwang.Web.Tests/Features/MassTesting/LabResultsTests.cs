using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Shouwang.Domain.Alerts;
using Shouwang.Domain.Cases;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.People;
using Shouwang.Domain.Restrictions;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Cases;
using Shouwang.Web.Features.MassTesting;
using Shouwang.Web.Features.Restrictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.MassTesting;

public abstract class LabResultsTests(AppFactory factory) : ApiTestBase(factory)
{
    private SamplingTestData Sampling { get; set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Sampling = new SamplingTestData(Factory, Data, TestData.Community);
        await Sampling.InitializeAsync(Client, Json, Ct);
    }

    private static object Row(string barcode, string result, DateTimeOffset? at = null, string? ct = null) =>
        new { tubeBarcode = barcode, result, ctValues = ct, at = at ?? DateTimeOffset.UtcNow.AddMinutes(-30) };

    private async Task<LabResultsReport> SubmitAsync(object[] rows, string mode = "ValidOnly", HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync($"/api/v1/lab-results?mode={mode}", new { lab = "金域检验", results = rows }, Json, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<LabResultsReport>(Json, Ct))!;
    }

    private Task<HttpResponseMessage> PostFileAsync(byte[] content, string name, string mode) =>
        Client.PostAsync($"/api/v1/lab-results/import?mode={mode}&lab=LabA", new MultipartFormDataContent { { new ByteArrayContent(content), "file", name } }, Ct);

    private async Task<LabResultsReport> ImportAsync(byte[] content, string name, string mode)
    {
        var response = await PostFileAsync(content, name, mode);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<LabResultsReport>(Json, Ct))!;
    }

    private static byte[] Csv(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\r\n", lines));

    private static string Local(DateTime utc) => utc.AddHours(8).ToString("yyyy-MM-dd HH:mm:ss");

    private async Task<TubeResult> ResultOfAsync(Guid tubeId)
    {
        await using var db = Factory.CreateDbContext();
        return await db.Tubes.Where(t => t.Id == tubeId).Select(t => t.Result).SingleAsync(Ct);
    }

    private async Task<PersonStatus> StatusAsync(Guid personId) =>
        (await Client.GetFromJsonAsync<PersonStatus>($"/api/v1/persons/{personId}/restriction-status", Json, Ct))!;

    [Fact]
    public async Task A_positive_pool_of_ten_controls_exactly_those_ten_with_ten_retest_orders_and_a_second_import_adds_nothing()
    {
        var pool = await Sampling.TubeAsync(10);
        var negatives = new[] { await Sampling.TubeAsync(10), await Sampling.TubeAsync(5) };
        object[] rows = [Row(pool.Barcode, "阳性", ct: "ORF1ab=31.2;N=30.1"), Row(negatives[0].Barcode, "阴性"), Row(negatives[1].Barcode, "Negative")];

        var report = await SubmitAsync(rows);
        Assert.True(report.Committed);
        Assert.Equal(3, report.Counts[LabRowStatus.Applied]);
        Assert.Empty(report.Issues);
        Assert.Equal((1, 10, 0), (report.PoolsPositive, report.RetestsOpened, report.CasesOpened));

        await using (var db = Factory.CreateDbContext())
        {
            var retests = await db.Retests.Where(r => r.TubeId == pool.Id).ToListAsync(Ct);
            Assert.Equal(pool.Persons.Order(), retests.Select(r => r.PersonId).Order());
            Assert.All(retests, r => Assert.Equal((RetestKind.PositivePool, RetestState.Awaiting), (r.Kind, r.State)));
            var restrictions = await db.Restrictions.Where(r => r.BasisReference == pool.Barcode).ToListAsync(Ct);
            Assert.Equal(pool.Persons.Order(), restrictions.Select(r => r.PersonId).Order());
            Assert.All(restrictions, r => Assert.Equal((RestrictionKind.CheckpointDenial, RestrictionBasis.PositiveTube, RestrictionState.Active), (r.Kind, r.Basis, r.State)));
            Assert.Equal(retests.Select(r => r.RestrictionId).Order(), restrictions.Select(r => (Guid?)r.Id).Order());
            var everyone = pool.Persons.Concat(negatives.SelectMany(n => n.Persons)).ToList();
            var orders = await db.WorkOrders.Where(w => w.Source == WorkOrderSource.SingleTubeRetest && everyone.Contains(w.PersonId!.Value)).ToListAsync(Ct);
            Assert.Equal(pool.Persons.Order(), orders.Select(o => o.PersonId!.Value).Order());
            Assert.All(orders, o => Assert.Equal((Sampling.GridId, WorkOrderStatus.Assigned), (o.AssigneeGridId, o.Status)));
            var dueHours = (orders[0].DueAt - DateTime.UtcNow).TotalHours;
            Assert.InRange(dueHours, 5.0, 6.0);
            Assert.Single(await db.Alerts.Where(a => a.SubjectId == pool.Id && a.Kind == AlertKind.PositivePool).ToListAsync(Ct));
            Assert.Equal(TubeResult.Positive, (await db.Tubes.SingleAsync(t => t.Id == pool.Id, Ct)).Result);
            Assert.Equal("ORF1ab=31.2;N=30.1", (await db.Tubes.SingleAsync(t => t.Id == pool.Id, Ct)).CtValues);
            Assert.Single(await db.AuditEntries.Where(a => a.EntityType == "Tube" && a.Summary!.Contains("3 applied")).ToListAsync(Ct));
        }
        Assert.True((await StatusAsync(pool.Persons[0])).CheckpointDenied);
        Assert.True((await StatusAsync(pool.Persons[9])).CheckpointDenied);
        Assert.False((await StatusAsync(negatives[0].Persons[0])).CheckpointDenied);

        var list = (await Client.GetFromJsonAsync<Paged<RetestItem>>($"/api/v1/testing-rounds/{Sampling.RoundId}/retests?state=Awaiting&pageSize=50", Json, Ct))!;
        Assert.Equal(10, list.Total);
        Assert.All(list.Items, i => Assert.Equal(pool.Barcode, i.TubeBarcode));
        Assert.All(list.Items, i => Assert.NotNull(i.WorkOrderNumber));
        Assert.DoesNotContain(list.Items, i => i.Name == "赵检测");

        var again = await SubmitAsync(rows, mode: "All");
        Assert.Equal(3, again.Counts[LabRowStatus.Duplicate]);
        Assert.Equal(0, again.RetestsOpened);
        await using (var db = Factory.CreateDbContext())
        {
            Assert.Equal(10, await db.Retests.CountAsync(r => r.TubeId == pool.Id, Ct));
            Assert.Equal(10, await db.Restrictions.CountAsync(r => r.BasisReference == pool.Barcode, Ct));
            Assert.Equal(10, await db.WorkOrders.CountAsync(w => w.Source == WorkOrderSource.SingleTubeRetest && pool.Persons.Contains(w.PersonId!.Value), Ct));
            Assert.Equal(1, await db.Alerts.CountAsync(a => a.SubjectId == pool.Id, Ct));
        }
    }

    [Fact]
    public async Task Duplicates_conflicts_unknown_and_open_tubes_and_bad_text_are_reported_not_guessed()
    {
        var a = await Sampling.TubeAsync(3);
        var b = await Sampling.TubeAsync(3);
        var open = await Sampling.TubeAsync(2, state: TubeState.Open);
        var report = await SubmitAsync([
            Row(a.Barcode, "阴性"), Row(a.Barcode, "negative"), Row(b.Barcode, "阴性"), Row(b.Barcode, "阳性"),
            Row("NO-SUCH-TUBE-1", "阴性"), Row(open.Barcode, "阴性"), Row(a.Barcode + "X", "阳xing"),
        ]);
        Assert.Equal((1, 1, 2, 1, 1, 1), (report.Counts[LabRowStatus.Applied], report.Counts[LabRowStatus.Duplicate], report.Counts[LabRowStatus.Conflict],
            report.Counts[LabRowStatus.UnknownTube], report.Counts[LabRowStatus.NotSealed], report.Counts[LabRowStatus.InvalidRow]));
        Assert.Equal([1, 2, 3, 4, 5, 6], report.Issues.Select(i => i.Row));
        var bad = report.Issues.Single(i => i.Status == LabRowStatus.InvalidRow);
        Assert.Equal("Results[6].Result", bad.Column);
        Assert.Contains("6", bad.Message);
        Assert.Equal(TubeResult.Negative, await ResultOfAsync(a.Id));
        Assert.Equal(TubeResult.Pending, await ResultOfAsync(b.Id));
        Assert.Equal(TubeResult.Pending, await ResultOfAsync(open.Id));

        var stored = await SubmitAsync([Row(a.Barcode, "Positive"), Row(a.Barcode + "", "阴性")]);
        Assert.Equal(2, stored.Counts[LabRowStatus.Conflict]);
        var single = await SubmitAsync([Row(a.Barcode, "阳性")]);
        Assert.Equal(LabRowStatus.Conflict, Assert.Single(single.Issues).Status);
        var same = await SubmitAsync([Row(a.Barcode, "阴性")]);
        Assert.Equal(LabRowStatus.Duplicate, Assert.Single(same.Issues).Status);
        Assert.Equal(TubeResult.Negative, await ResultOfAsync(a.Id));
    }

    [Fact]
    public async Task A_csv_preview_writes_nothing_all_with_one_bad_row_writes_nothing_and_valid_only_writes_the_good()
    {
        var a = await Sampling.TubeAsync(3);
        var b = await Sampling.TubeAsync(3);
        var at = Local(DateTime.UtcNow.AddMinutes(-20));
        var csv = Csv("试管编号,检测结果,Ct值,检测时间", $"{a.Barcode},阴性,,{at}", $"{b.Barcode},阴,,{at}", $"{b.Barcode}X,可疑,,{at}");

        var preview = await ImportAsync(csv, "结果.csv", "Preview");
        Assert.False(preview.Committed);
        Assert.Equal((3, 2, 1), (preview.Rows, preview.Counts[LabRowStatus.Applied], preview.Counts[LabRowStatus.InvalidRow]));
        var issue = Assert.Single(preview.Issues);
        Assert.Equal((4, "检测结果"), (issue.Row, issue.Column));
        Assert.Contains("第 4 行", issue.Message);
        Assert.Equal(TubeResult.Pending, await ResultOfAsync(a.Id));

        var all = await PostFileAsync(csv, "结果.csv", "All");
        Assert.Equal(HttpStatusCode.BadRequest, all.StatusCode);
        var problem = (await all.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json, Ct))!;
        Assert.Contains("Rows[4].检测结果", problem.Errors.Keys);
        Assert.Equal(TubeResult.Pending, await ResultOfAsync(a.Id));
        Assert.Equal(TubeResult.Pending, await ResultOfAsync(b.Id));

        var valid = await ImportAsync(csv, "结果.csv", "ValidOnly");
        Assert.True(valid.Committed);
        Assert.Equal(TubeResult.Negative, await ResultOfAsync(a.Id));
        Assert.Equal(TubeResult.Negative, await ResultOfAsync(b.Id));

        var bad = await PostFileAsync(Csv("姓名,电话", "张三,1"), "x.csv", "Preview");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("file", (await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json, Ct))!.Errors.Keys);
    }

    [Fact]
    public async Task An_xlsx_with_chinese_headers_gene_ct_columns_and_time_cells_is_applied_in_local_time()
    {
        var tube = await Sampling.TubeAsync(4);
        var local = DateTime.UtcNow.AddHours(8).AddMinutes(-45);
        local = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0);
        var sheet = new List<Dictionary<string, object?>>
        {
            new() { ["A"] = "某某检测中心核酸检测结果", ["B"] = null, ["C"] = null, ["D"] = null, ["E"] = null },
            new() { ["A"] = "条码", ["B"] = "结果", ["C"] = "ORF1ab", ["D"] = "N基因", ["E"] = "报告时间" },
            new() { ["A"] = tube.Barcode, ["B"] = "阴性", ["C"] = "40", ["D"] = "38.5", ["E"] = local },
        };
        using var stream = new MemoryStream();
        stream.SaveAs(sheet, printHeader: false);
        var report = await ImportAsync(stream.ToArray(), "结果.xlsx", "All");
        Assert.Equal(1, report.Counts[LabRowStatus.Applied]);
        await using var db = Factory.CreateDbContext();
        var stored = await db.Tubes.SingleAsync(t => t.Id == tube.Id, Ct);
        Assert.Equal((TubeResult.Negative, "ORF1ab=40;N基因=38.5", "LabA"), (stored.Result, stored.CtValues, stored.Lab));
        Assert.Equal(local.AddHours(-8), stored.ResultAt);
    }

    [Fact]
    public async Task Single_tubes_close_retests_a_positive_opens_a_case_and_a_negative_lifts_the_stay_home_restriction()
    {
        var pool = await Sampling.TubeAsync(10);
        await SubmitAsync([Row(pool.Barcode, "阳性")]);
        var positive = await Sampling.TubeAsync(1, capacity: 1, persons: [pool.Persons[0]]);
        var negative = await Sampling.TubeAsync(1, capacity: 1, persons: [pool.Persons[1]]);

        var report = await SubmitAsync([Row(positive.Barcode, "阳性"), Row(negative.Barcode, "阴性")]);
        Assert.Equal((1, 1, 2, 1), (report.SingleTubesPositive, report.CasesOpened, report.RetestsResolved, report.RestrictionsLifted));
        await using (var db = Factory.CreateDbContext())
        {
            var found = await db.Cases.SingleAsync(c => c.TubeId == positive.Id, Ct);
            Assert.Equal((pool.Persons[0], CaseSource.PositiveSingleTube), (found.PersonId, found.Source));
            Assert.StartsWith("BL", found.Number);
            Assert.True(await db.Alerts.AnyAsync(a => a.Kind == AlertKind.PositiveCase && a.SubjectId == found.Id && a.PersonId == pool.Persons[0], Ct));
            var retests = await db.Retests.Where(r => r.TubeId == pool.Id).ToDictionaryAsync(r => r.PersonId, Ct);
            Assert.Equal(RetestState.Positive, retests[pool.Persons[0]].State);
            Assert.Equal(RetestState.Negative, retests[pool.Persons[1]].State);
            Assert.Equal(negative.Id, retests[pool.Persons[1]].ResolvedByTubeId);
            Assert.Equal(RetestState.Awaiting, retests[pool.Persons[2]].State);
            var lifted = await db.Restrictions.SingleAsync(r => r.Id == retests[pool.Persons[1]].RestrictionId, Ct);
            Assert.Equal(RestrictionState.Lifted, lifted.State);
            Assert.Equal(RestrictionState.Active, (await db.Restrictions.SingleAsync(r => r.Id == retests[pool.Persons[0]].RestrictionId, Ct)).State);
            var orderId = retests[pool.Persons[1]].WorkOrderId;
            Assert.True(await db.WorkOrderEvents.AnyAsync(e => e.WorkOrderId == orderId && e.Kind == WorkOrderEventKind.Commented, Ct));
        }
        Assert.False((await StatusAsync(pool.Persons[1])).CheckpointDenied);
        Assert.True((await StatusAsync(pool.Persons[0])).CheckpointDenied);

        var cases = (await Client.GetFromJsonAsync<Paged<CaseItem>>("/api/v1/cases?pageSize=200", Json, Ct))!;
        Assert.Contains(cases.Items, c => c.PersonId == pool.Persons[0] && c.TubeBarcode == positive.Barcode);
        var tube = (await Client.GetFromJsonAsync<TubeResultView>($"/api/v1/lab-results/tubes/{positive.Barcode}", Json, Ct))!;
        Assert.Equal(TubeResult.Positive, tube.Result);
    }

    [Fact]
    public async Task An_invalid_tube_makes_its_members_missing_again_with_a_retest()
    {
        var tube = await Sampling.TubeAsync(5);
        async Task<HashSet<Guid>> MissingAsync() => (await Client.GetFromJsonAsync<Paged<MissingPerson>>(
            $"/api/v1/testing-rounds/{Sampling.RoundId}/missing?gridId={Sampling.GridId}&pageSize=200", Json, Ct))!.Items.Select(m => m.PersonId).ToHashSet();
        Assert.DoesNotContain(tube.Persons[0], await MissingAsync());

        var report = await SubmitAsync([Row(tube.Barcode, "无效")]);
        Assert.Equal((1, 5), (report.TubesInvalid, report.RetestsOpened));
        var missing = await MissingAsync();
        Assert.All(tube.Persons, p => Assert.Contains(p, missing));
        await using var db = Factory.CreateDbContext();
        Assert.All(await db.Samples.Where(s => s.TubeId == tube.Id).ToListAsync(Ct), s => Assert.Equal(SampleRemoval.InvalidTube, s.Removal));
        Assert.Equal(5, await db.Retests.CountAsync(r => r.TubeId == tube.Id && r.Kind == RetestKind.InvalidTube && r.State == RetestState.Awaiting, Ct));
        Assert.Equal(0, await db.Restrictions.CountAsync(r => r.BasisReference == tube.Barcode, Ct));
    }

    [Fact]
    public async Task A_community_importing_its_sites_tube_controls_a_member_who_lives_in_another_community()
    {
        // A site samples whoever comes: one of this pool lives in the sibling community, outside the importer's jurisdiction.
        var household = await Data.HouseholdAsync(TestData.SiblingCommunity);
        var visitor = (await Data.PersonAsync(household, name: "钱外社", relation: RelationToHead.Other)).Id;
        var local = (await Data.PersonAsync(await Data.HouseholdAsync(TestData.Community), name: "孙本社", relation: RelationToHead.Other)).Id;
        var tube = await Sampling.TubeAsync(2, persons: [visitor, local]);
        var account = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community);
        using var community = await Factory.ClientForAsync(account);

        var report = await SubmitAsync([Row(tube.Barcode, "阳性")], client: community);

        Assert.Equal(2, report.RetestsOpened);
        await using var db = Factory.CreateDbContext();
        var retests = await db.Retests.IgnoreQueryFilters().Where(r => r.TubeId == tube.Id).ToListAsync(Ct);
        Assert.Equal(new[] { local, visitor }.Order(), retests.Select(r => r.PersonId).Order());
        var outside = Assert.Single(retests, r => r.PersonId == visitor);
        Assert.Equal(long.Parse(TestData.SiblingCommunity, System.Globalization.CultureInfo.InvariantCulture), outside.CommunityCode);
        var restriction = await db.Restrictions.IgnoreQueryFilters().SingleAsync(r => r.Id == outside.RestrictionId, Ct);
        Assert.Equal(RestrictionState.Active, restriction.State);
        Assert.True(await db.WorkOrders.IgnoreQueryFilters().AnyAsync(w => w.Id == outside.WorkOrderId && w.Source == WorkOrderSource.SingleTubeRetest, Ct));
        // The importer still sees only its own: the sibling's retest is not in its list.
        var list = await community.GetFromJsonAsync<Paged<RetestItem>>($"/api/v1/testing-rounds/{Sampling.RoundId}/retests", Json, Ct);
        Assert.Contains(list!.Items, i => i.PersonId == local);
        Assert.DoesNotContain(list.Items, i => i.PersonId == visitor);
    }

    [Fact]
    public async Task A_sibling_community_cannot_apply_results_to_tubes_outside_its_scope_and_an_observer_is_refused()
    {
        var tube = await Sampling.TubeAsync(10);
        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        var report = await SubmitAsync([Row(tube.Barcode, "阳性")], client: sibling);
        var issue = Assert.Single(report.Issues);
        Assert.Equal(LabRowStatus.UnknownTube, issue.Status);
        Assert.Equal(TubeResult.Pending, await ResultOfAsync(tube.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/lab-results/tubes/{tube.Barcode}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/testing-rounds/{Sampling.RoundId}/retests", Ct)).StatusCode);

        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        var refused = await observer.PostAsJsonAsync("/api/v1/lab-results", new { results = new[] { Row(tube.Barcode, "阳性") } }, Json, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(TubeResult.Pending, await ResultOfAsync(tube.Id));

        var empty = await Client.PostAsJsonAsync("/api/v1/lab-results", new { results = Array.Empty<object>() }, Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Results", (await empty.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json, Ct))!.Errors.Keys);
    }
}

public sealed class LabResultsTests_Sqlite(SqliteAppFactory f) : LabResultsTests(f), IClassFixture<SqliteAppFactory>;
public sealed class LabResultsTests_Postgres(PostgresAppFactory f) : LabResultsTests(f), IClassFixture<PostgresAppFactory>;
