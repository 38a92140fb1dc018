using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Arrivals;
using Shouwang.Domain.Measures;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.Measures;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Measures;

/// <summary>
/// The street has 第九版 in force; 湘华社区 (003) has 二十条, 石宋路社区 (004) 第十版, and 金钩山村 (202) is where the recomputation
/// test puts 二十条 in force mid-course, so the suites' policies don't disturb each other.
/// </summary>
public abstract class MeasuresApiTests(AppFactory factory) : ApiTestBase(factory)
{
    protected const string TwentyCommunity = "430202005003";
    protected const string TenthCommunity = "430202005004";
    protected const string RecomputeCommunity = "430202005202";
    protected const string RecomputeApprovalCommunity = "430202005204";
    protected const string BulkCommunity = "430202005205";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Factory.PutInForceAsync(TestData.Street, "NHC-9");
        await Factory.PutInForceAsync(TwentyCommunity, "NHC-9-20");
        await Factory.PutInForceAsync(TenthCommunity, "NHC-10");
    }

    protected DateOnly Today => Factory.Get<LocalClock>().Today();

    protected async Task<Guid> PersonAsync(string community = TestData.Community)
    {
        var household = await Data.HouseholdAsync(community);
        return (await Data.PersonAsync(household)).Id;
    }

    protected static object CloseContact(DateOnly anchor, DateOnly? identified = null, string basis = "Other", string? reference = null) =>
        new { category = "CloseContact", anchorDay = anchor, identifiedDay = identified, reason = "与确诊病例同餐，判定为密接", basis, basisReference = reference, siteName = "金山酒店隔离点" };

    protected static async Task<T> ReadAsync<T>(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<T>(Json, Ct))!;

    protected static async Task<IDictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json, Ct))!.Errors;
    }

    /// <summary>An arrival report about <paramref name="personId"/>, filed by a resident: a basis that verifies a course for that person at once.</summary>
    protected async Task<string> ArrivalReportAsync(Guid personId, string community = TestData.Community)
    {
        await using var db = Factory.CreateDbContext();
        var number = $"BB{Guid.NewGuid():N}"[..16];
        db.ArrivalReports.Add(new ArrivalReport
        {
            Number = number, DocumentNumber = TestData.NewIdNumber(), Name = "王来返", Phone = "13800000000", OriginCode = "310101", OriginName = "上海市黄浦区",
            CommunityCode = long.Parse(community), StayAddress = "测试地址", ArrivedOn = Today, LeftOn = Today, PersonId = personId,
        });
        await db.SaveChangesAsync(Ct);
        return number;
    }

    protected async Task<CourseItem> IssueAsync(Guid personId, object body, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync($"/api/v1/persons/{personId}/measures", body, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ReadAsync<CourseItem>(response);
    }

    protected async Task<int> StageCountAsync(Guid personId)
    {
        await using var db = Factory.CreateDbContext();
        return await db.ControlMeasures.CountAsync(m => m.PersonId == personId, Ct);
    }

    [Fact]
    public async Task NinthEdition_CloseContact_IsSevenDaysQuarantineThenThreeMonitoring_WithTestDays_ActiveOnAVerifiedBasis()
    {
        var personId = await PersonAsync();
        var anchor = Today;
        var course = await IssueAsync(personId, CloseContact(anchor, basis: "Arrival", reference: await ArrivalReportAsync(personId)));

        Assert.Equal(("NHC-9", RestrictionState.Active), (course.PolicyCode, course.State));
        Assert.Collection(course.Stages,
            s =>
            {
                Assert.Equal((MeasureKind.CentralisedQuarantine, 7, anchor.AddDays(1), anchor.AddDays(7)), (s.Kind, s.Days, s.StartDay, s.EndDay));
                Assert.Equal([1, 2, 3, 5, 7], s.TestDates.Select(d => d.DayNumber - anchor.DayNumber));
                Assert.Equal((MeasurePlace.QuarantineSite, "金山酒店隔离点", 2), (s.Place, s.PlaceName, s.ChecksPerDay));
            },
            s =>
            {
                Assert.Equal((MeasureKind.HomeHealthMonitoring, 3, anchor.AddDays(8), anchor.AddDays(10)), (s.Kind, s.Days, s.StartDay, s.EndDay));
                Assert.Equal([anchor.AddDays(10)], s.TestDates);
                Assert.Equal(MeasurePlace.Home, s.Place);
            });
        await using var db = Factory.CreateDbContext();
        Assert.Equal(RestrictionState.Active, (await db.Restrictions.SingleAsync(r => r.Id == course.Id, Ct)).State);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityId == course.Id.ToString() && a.Action == AuditAction.Request, Ct));
    }

    [Fact]
    public async Task FoundLate_ServesOnlyTheRemainingDays_AndAnElapsedStageIsDropped()
    {
        var personId = await PersonAsync();
        // Exposed 5 days ago: quarantine days 5-7 remain, tests on days 5 and 7 only.
        var course = await IssueAsync(personId, CloseContact(Today.AddDays(-5)));
        var quarantine = course.Stages[0];
        Assert.Equal((Today, 5, 7), (quarantine.StartDay, quarantine.DayNumber ?? quarantine.StartDay.DayNumber - quarantine.StageFirstDay.DayNumber + 1, quarantine.Days));
        Assert.Equal([Today, Today.AddDays(2)], quarantine.TestDates);
        Assert.Equal(RestrictionState.PendingApproval, course.State);

        // Exposed 8 days ago: the quarantine is over, only the monitoring (its day 1 is today) is issued.
        var later = await PersonAsync();
        var monitoring = await IssueAsync(later, CloseContact(Today.AddDays(-8)));
        var only = Assert.Single(monitoring.Stages);
        Assert.Equal((MeasureKind.HomeHealthMonitoring, Today, 0, 1), (only.Kind, only.StartDay, only.StageIndex, only.StageCount));
    }

    [Fact]
    public async Task TwentyMeasures_CloseContact_IsFivePlusThreeHomeQuarantine()
    {
        var personId = await PersonAsync(TwentyCommunity);
        var course = await IssueAsync(personId, CloseContact(Today));
        Assert.Equal("NHC-9-20", course.PolicyCode);
        Assert.Equal([(MeasureKind.CentralisedQuarantine, 5), (MeasureKind.HomeQuarantine, 3)], course.Stages.Select(s => (s.Kind, s.Days)));
        Assert.Equal([Today.AddDays(6), Today.AddDays(8)], course.Stages[1].TestDates);
    }

    [Fact]
    public async Task TenthEdition_HasNoCloseContacts_400AndNothingWritten()
    {
        var personId = await PersonAsync(TenthCommunity);
        var errors = await ErrorsAsync(await Client.PostAsJsonAsync($"/api/v1/persons/{personId}/measures", CloseContact(Today), Json, Ct));
        Assert.Contains("第十版", Assert.Single(errors["Category"]));
        Assert.Equal(0, await StageCountAsync(personId));
        await using var db = Factory.CreateDbContext();
        Assert.False(await db.Restrictions.AnyAsync(r => r.PersonId == personId, Ct));
    }

    [Fact]
    public async Task Preview_ShowsTheStagesWithoutSaving_AndNamesBadFields()
    {
        var personId = await PersonAsync();
        var response = await Client.PostAsJsonAsync($"/api/v1/persons/{personId}/measures/preview", CloseContact(Today.AddDays(-1)), Json, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await ReadAsync<CourseItem>(response);
        Assert.Equal(2, preview.Stages.Count);
        Assert.Equal(0, await StageCountAsync(personId));

        var errors = await ErrorsAsync(await Client.PostAsJsonAsync($"/api/v1/persons/{personId}/measures/preview",
            new { category = "CloseContact", anchorDay = Today.AddDays(1), reason = "短" }, Json, Ct));
        Assert.True(errors.ContainsKey("AnchorDay") && errors.ContainsKey("Reason"));
        errors = await ErrorsAsync(await Client.PostAsJsonAsync($"/api/v1/persons/{personId}/measures",
            new { category = "CloseContact", reason = "与确诊病例同餐，判定为密接", basis = "Arrival", basisReference = "NO-SUCH" , anchorDay = Today }, Json, Ct));
        Assert.True(errors.ContainsKey("BasisReference"));
        Assert.Equal(0, await StageCountAsync(personId));
    }

    [Fact]
    public async Task OtherBasis_WaitsForASecondPerson_OwnApprovalIs403_ThenInForce()
    {
        var personId = await PersonAsync();
        var requester = await Factory.CreateAccountAsync(StaffRoles.Command, TestData.Street);
        using var requesterClient = await Factory.ClientForAsync(requester);
        var course = await IssueAsync(personId, CloseContact(Today), requesterClient);
        Assert.Equal(RestrictionState.PendingApproval, course.State);
        Assert.All(course.Stages, s => Assert.Equal(MeasureStatus.PendingApproval, s.Status));
        var list = await Client.GetFromJsonAsync<Paged<MeasureListItem>>($"/api/v1/measures?jurisdiction={TestData.Community}&day={Today.AddDays(1):yyyy-MM-dd}&pageSize=200", Json, Ct);
        Assert.DoesNotContain(list!.Items, i => i.PersonId == personId);

        Assert.Equal(HttpStatusCode.Forbidden, (await requesterClient.PostAsJsonAsync($"/api/v1/restrictions/{course.Id}/approve", new { note = "同意" }, Json, Ct)).StatusCode);
        using var approver = await Factory.ClientForAsync(StaffRoles.Command, TestData.Street);
        Assert.Equal(HttpStatusCode.OK, (await approver.PostAsJsonAsync($"/api/v1/restrictions/{course.Id}/approve", new { note = "同意" }, Json, Ct)).StatusCode);

        var timeline = await Client.GetFromJsonAsync<PersonTimeline>($"/api/v1/persons/{personId}/measures", Json, Ct);
        var entry = Assert.Single(timeline!.Courses);
        Assert.Equal(RestrictionState.Active, entry.Course.State);
        Assert.Equal(MeasureStatus.Upcoming, entry.Course.Stages[0].Status);
        list = await Client.GetFromJsonAsync<Paged<MeasureListItem>>($"/api/v1/measures?jurisdiction={TestData.Community}&day={Today.AddDays(1):yyyy-MM-dd}&pageSize=200", Json, Ct);
        var item = Assert.Single(list!.Items, i => i.PersonId == personId);
        Assert.Equal((1, 7, Today.AddDays(1)), (item.DayNumber, item.Days, item.NextTestDay));
    }

    [Fact]
    public async Task List_Counts_AndEnding_ShowTheDay()
    {
        var personId = await PersonAsync(TestData.Community);
        var reference = await ArrivalReportAsync(personId);
        // Exposed 6 days ago: quarantine day 6 today, day 7 (the last) tomorrow, then monitoring.
        var course = await IssueAsync(personId, CloseContact(Today.AddDays(-6), basis: "Arrival", reference: reference));

        var list = await Client.GetFromJsonAsync<Paged<MeasureListItem>>($"/api/v1/measures?jurisdiction={TestData.Community}&kind=CentralisedQuarantine&pageSize=200", Json, Ct);
        var item = Assert.Single(list!.Items, i => i.PersonId == personId);
        Assert.Equal((6, 7, Today.AddDays(1), "晏家湾社区居委会"), (item.DayNumber, item.Days, item.NextTestDay, item.CommunityName));
        Assert.NotNull(item.GridName);
        var other = await Client.GetFromJsonAsync<Paged<MeasureListItem>>($"/api/v1/measures?jurisdiction={TestData.Community}&kind=HomeQuarantine&pageSize=200", Json, Ct);
        Assert.DoesNotContain(other!.Items, i => i.PersonId == personId);

        var counts = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/measures/counts?jurisdiction={TestData.Street}", Json, Ct);
        var community = counts.GetProperty("communities").EnumerateArray().Single(c => c.GetProperty("communityCode").GetString() == TestData.Community);
        Assert.True(community.GetProperty("byKind").GetProperty("CentralisedQuarantine").GetInt32() >= 1);

        var ending = await Client.GetFromJsonAsync<List<EndingItem>>($"/api/v1/measures/ending?jurisdiction={TestData.Community}", Json, Ct);
        var end = Assert.Single(ending!, e => e.CourseId == course.Id);
        Assert.Equal((true, MeasureKind.HomeHealthMonitoring, Today.AddDays(1)), (end.Converts, end.NextKind, end.EndDay));

        Assert.True((await ErrorsAsync(await Client.GetAsync("/api/v1/measures?jurisdiction=abc", Ct))).ContainsKey("Jurisdiction"));
        Assert.True((await ErrorsAsync(await Client.GetAsync("/api/v1/measures/counts?jurisdiction=4x", Ct))).ContainsKey("Jurisdiction"));
    }

    [Fact]
    public async Task Bulk_IssuesEveryRow_ByIdOrIdNumber_WithOneAuditEntry()
    {
        var people = new List<(Guid Id, string Document)>();
        var household = await Data.HouseholdAsync(BulkCommunity);
        for (var i = 0; i < 3; i++) people.Add(await Data.PersonAsync(household, relation: i == 0 ? Domain.People.RelationToHead.Head : Domain.People.RelationToHead.Child));
        // A community-wide risk area they live in: a basis that verifies every row.
        var area = new RiskArea
        {
            CommunityCode = long.Parse(BulkCommunity), Scope = RiskAreaScope.Community, Name = "新市村", Level = RiskAreaLevel.Medium, StartDay = Today, LevelSince = Today,
            Reason = "聚集性疫情", State = RiskAreaState.Active, CreatedByName = "test", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        await using (var arrange = Factory.CreateDbContext())
        {
            arrange.RiskAreas.Add(area);
            await arrange.SaveChangesAsync(Ct);
        }
        var response = await Client.PostAsJsonAsync("/api/v1/measures/bulk", new
        {
            category = "CloseContact", reason = "聚集性疫情密接批量判定", basis = "RiskArea", basisReference = area.Id.ToString(),
            rows = new object[]
            {
                new { personId = people[0].Id, anchorDay = Today },
                new { documentNumber = people[1].Document, anchorDay = Today.AddDays(-2) },
                new { personId = people[2].Id, anchorDay = Today.AddDays(-3), identifiedDay = Today.AddDays(-1) },
            },
        }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await ReadAsync<BulkIssueResult>(response);
        Assert.Equal((3, 3, 0), (result.Issued, result.Active, result.PendingApproval));
        Assert.Equal(["NHC-9"], result.PolicyCodes);
        await using var db = Factory.CreateDbContext();
        var ids = people.Select(p => p.Id).ToList();
        Assert.Equal(6, await db.ControlMeasures.CountAsync(m => ids.Contains(m.PersonId), Ct));
        var audit = await db.AuditEntries.Where(a => a.EntityType == nameof(ControlMeasure) && a.RowCount == 3 && a.Summary!.StartsWith("bulk")).ToListAsync(Ct);
        Assert.NotEmpty(audit);
        // Rows written by the bulk path read back as any other course.
        var timeline = await Client.GetFromJsonAsync<PersonTimeline>($"/api/v1/persons/{people[2].Id}/measures", Json, Ct);
        var course = Assert.Single(timeline!.Courses).Course;
        Assert.Equal((RestrictionState.Active, "NHC-9", Today.AddDays(-3), Today.AddDays(-1), "聚集性疫情密接批量判定"),
            (course.State, course.PolicyCode, course.AnchorDay, course.IdentifiedDay, course.Reason));
        Assert.Equal((Today.AddDays(-1), Today.AddDays(4), MeasureStatus.InForce, 3), (course.Stages[0].StartDay, course.Stages[0].EndDay, course.Stages[0].Status, course.Stages[0].DayNumber));
        Assert.Equal([Today.AddDays(-1), Today, Today.AddDays(2), Today.AddDays(4)], course.Stages[0].TestDates);
        var listed = await Client.GetFromJsonAsync<Paged<MeasureListItem>>($"/api/v1/measures?jurisdiction={BulkCommunity}&pageSize=200", Json, Ct);
        // The one exposed today starts tomorrow (day 1 is the day after the anchor).
        Assert.Equal(2, listed!.Items.Count(i => ids.Contains(i.PersonId)));
        var courseIds = result.CourseIds.Select(c => c.ToString()).ToList();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.EntityId != null && courseIds.Contains(a.EntityId), Ct));
    }

    [Fact]
    public async Task APersonAlreadyUnderACourseOfTheCategory_IsNotIssuedASecond_EitherAloneOrInBulk()
    {
        var contact = await PersonAsync();
        var other = await PersonAsync();
        await IssueAsync(contact, CloseContact(Today.AddDays(-1)));

        var single = await ErrorsAsync(await Client.PostAsJsonAsync($"/api/v1/persons/{contact}/measures", CloseContact(Today), Json, Ct));
        Assert.Contains("已在同类管控措施中", Assert.Single(single["Category"]));
        var bulk = await ErrorsAsync(await Client.PostAsJsonAsync("/api/v1/measures/bulk", new
        {
            category = "CloseContact", reason = "聚集性疫情密接批量判定", basis = "Other",
            rows = new object[] { new { personId = other, anchorDay = Today }, new { personId = contact, anchorDay = Today } },
        }, Json, Ct));
        Assert.Equal(["Rows[1].PersonId"], bulk.Keys);
        Assert.Equal(0, await StageCountAsync(other));
        // A course of another category is another measure, and may run beside it.
        await IssueAsync(contact, new { category = "SecondaryContact", anchorDay = Today, reason = "次密接判定", basis = "Other" });
    }

    [Fact]
    public async Task Bulk_BadRows_AreNamedByIndex_AndNothingIsWritten()
    {
        var good = await PersonAsync();
        var outside = await PersonAsync(TestData.SiblingCommunity);
        using var clerk = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var errors = await ErrorsAsync(await clerk.PostAsJsonAsync("/api/v1/measures/bulk", new
        {
            category = "CloseContact", reason = "聚集性疫情密接批量判定", basis = "Other",
            rows = new object[]
            {
                new { personId = good, anchorDay = Today },
                new { personId = outside, anchorDay = Today },
                new { documentNumber = "123", anchorDay = Today },
                new { personId = good, anchorDay = Today.AddDays(2) },
                new { anchorDay = Today },
            },
        }, Json, Ct));
        Assert.True(errors.ContainsKey("Rows[2].DocumentNumber"), string.Join(",", errors.Keys));
        Assert.True(errors.ContainsKey("Rows[3].AnchorDay"));
        Assert.True(errors.ContainsKey("Rows[4].PersonId"));
        Assert.False(errors.ContainsKey("Rows[0].PersonId"));

        errors = await ErrorsAsync(await clerk.PostAsJsonAsync("/api/v1/measures/bulk", new
        {
            category = "CloseContact", reason = "聚集性疫情密接批量判定", basis = "Other",
            rows = new object[] { new { personId = good, anchorDay = Today }, new { personId = outside, anchorDay = Today }, new { personId = good, anchorDay = Today } },
        }, Json, Ct));
        Assert.Contains("找不到", Assert.Single(errors["Rows[1].PersonId"]));
        Assert.True(errors.ContainsKey("Rows[2].PersonId"));
        Assert.Equal(0, await StageCountAsync(good));
        Assert.Equal(0, await StageCountAsync(outside));

        Assert.True((await ErrorsAsync(await clerk.PostAsJsonAsync("/api/v1/measures/bulk", new { category = "CloseContact", reason = "聚集性疫情密接批量判定" }, Json, Ct))).ContainsKey("Rows"));
        var tenth = await PersonAsync(TenthCommunity);
        errors = await ErrorsAsync(await Client.PostAsJsonAsync("/api/v1/measures/bulk", new
        {
            category = "CloseContact", reason = "聚集性疫情密接批量判定", rows = new object[] { new { personId = good, anchorDay = Today }, new { personId = tenth, anchorDay = Today } },
        }, Json, Ct));
        Assert.True(errors.ContainsKey("Rows[1].Category"));
        Assert.Equal(0, await StageCountAsync(good));
    }

    [Fact]
    public async Task SiblingCommunity_SeesNothing_AndCannotTouch()
    {
        var personId = await PersonAsync();
        var course = await IssueAsync(personId, CloseContact(Today.AddDays(-1), basis: "Arrival", reference: await ArrivalReportAsync(personId)));
        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);

        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/persons/{personId}/measures", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/persons/{personId}/measures", CloseContact(Today), Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/persons/{personId}/measures/preview", CloseContact(Today), Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/measures/courses/{course.Id}/end-early", new { reason = "越权提前解除测试" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/measures/courses/{course.Id}/change", new { reason = "越权调整测试用例", anchorDay = Today }, Json, Ct)).StatusCode);
        var list = await sibling.GetFromJsonAsync<Paged<MeasureListItem>>($"/api/v1/measures?jurisdiction={TestData.Community}&pageSize=200", Json, Ct);
        Assert.Empty(list!.Items);
        var all = await sibling.GetFromJsonAsync<Paged<MeasureListItem>>("/api/v1/measures?pageSize=200", Json, Ct);
        Assert.DoesNotContain(all!.Items, i => i.PersonId == personId);
        var counts = await sibling.GetFromJsonAsync<MeasureCounts>("/api/v1/measures/counts", Json, Ct);
        Assert.DoesNotContain(counts!.Communities, c => c.CommunityCode == TestData.Community);
        var ending = await sibling.GetFromJsonAsync<List<EndingItem>>($"/api/v1/measures/ending?day={Today.AddDays(6):yyyy-MM-dd}", Json, Ct);
        Assert.DoesNotContain(ending!, e => e.PersonId == personId);
        var preview = await sibling.GetFromJsonAsync<RecomputePreview>("/api/v1/measures/recompute-preview", Json, Ct);
        Assert.DoesNotContain(preview!.Items, i => i.PersonId == personId);
        Assert.Equal(2, await StageCountAsync(personId));
    }

    [Fact]
    public async Task Observer_CannotIssueChangeOrEnd()
    {
        var personId = await PersonAsync();
        var course = await IssueAsync(personId, CloseContact(Today, basis: "Arrival", reference: await ArrivalReportAsync(personId)));
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync($"/api/v1/persons/{personId}/measures", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync("/api/v1/measures", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/persons/{personId}/measures", CloseContact(Today), Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/persons/{personId}/measures/preview", CloseContact(Today), Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync("/api/v1/measures/bulk", new { category = "CloseContact" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/measures/courses/{course.Id}/end-early", new { reason = "观察员不能解除" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/measures/courses/{course.Id}/change", new { reason = "观察员不能调整" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.GetAsync("/api/v1/measures/recompute-preview", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync("/api/v1/measures/recompute", new { reason = "观察员不能重算" }, Json, Ct)).StatusCode);
        Assert.Equal(2, await StageCountAsync(personId));
    }

    [Fact]
    public async Task EndEarly_EndsTheRunningStageAndThoseAhead_WithTheReason()
    {
        var personId = await PersonAsync();
        var course = await IssueAsync(personId, CloseContact(Today.AddDays(-2), basis: "Arrival", reference: await ArrivalReportAsync(personId)));
        Assert.True((await ErrorsAsync(await Client.PostAsJsonAsync($"/api/v1/measures/courses/{course.Id}/end-early", new { reason = "" }, Json, Ct))).ContainsKey("Reason"));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsJsonAsync($"/api/v1/measures/courses/{Guid.NewGuid()}/end-early", new { reason = "不存在的措施测试" }, Json, Ct)).StatusCode);

        var response = await Client.PostAsJsonAsync($"/api/v1/measures/courses/{course.Id}/end-early", new { reason = "复核排除密接，提前解除" }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ended = await ReadAsync<CourseItem>(response);
        Assert.Equal(RestrictionState.Lifted, ended.State);
        Assert.All(ended.Stages, s => Assert.Equal((MeasureStatus.EndedEarly, "复核排除密接，提前解除"), (s.Status, s.EndReason)));
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsJsonAsync($"/api/v1/measures/courses/{course.Id}/end-early", new { reason = "再次解除测试用例" }, Json, Ct)).StatusCode);
        var timeline = await Client.GetFromJsonAsync<PersonTimeline>($"/api/v1/persons/{personId}/measures", Json, Ct);
        Assert.Equal("复核排除密接，提前解除", Assert.Single(timeline!.Courses).LiftReason);
    }

    [Fact]
    public async Task Change_OnAVerifiedBasis_SupersedesAtOnce()
    {
        var personId = await PersonAsync();
        var course = await IssueAsync(personId, CloseContact(Today, basis: "Arrival", reference: await ArrivalReportAsync(personId)));
        Assert.True((await ErrorsAsync(await Client.PostAsJsonAsync($"/api/v1/measures/courses/{course.Id}/change", new { anchorDay = Today.AddDays(-2) }, Json, Ct))).ContainsKey("Reason"));

        var response = await Client.PostAsJsonAsync($"/api/v1/measures/courses/{course.Id}/change", new { anchorDay = Today.AddDays(-2), reason = "流调更正末次暴露日期" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var replacement = await ReadAsync<CourseItem>(response);
        Assert.Equal((RestrictionState.Active, Today.AddDays(-2)), (replacement.State, replacement.AnchorDay));

        var timeline = await Client.GetFromJsonAsync<PersonTimeline>($"/api/v1/persons/{personId}/measures", Json, Ct);
        var old = timeline!.Courses.Single(c => c.Course.Id == course.Id);
        Assert.Equal((RestrictionState.Lifted, replacement.Id), (old.Course.State, old.SupersededBy));
        Assert.All(old.Course.Stages, s => Assert.Equal(MeasureStatus.Superseded, s.Status));
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsJsonAsync($"/api/v1/measures/courses/{course.Id}/change", new { reason = "已被替代的措施再调整" }, Json, Ct)).StatusCode);
    }

    [Fact]
    public async Task Change_OnAnOtherBasis_WaitsForApproval_ThenSupersedes_OrRejectedLeavesTheOldRunning()
    {
        var personId = await PersonAsync();
        var course = await IssueAsync(personId, CloseContact(Today, basis: "Arrival", reference: await ArrivalReportAsync(personId)));
        var response = await Client.PostAsJsonAsync($"/api/v1/measures/courses/{course.Id}/change", new { anchorDay = Today.AddDays(-1), reason = "流调更正末次暴露日期", basis = "Other" }, Json, Ct);
        var pending = await ReadAsync<CourseItem>(response);
        Assert.Equal(RestrictionState.PendingApproval, pending.State);
        await using (var db = Factory.CreateDbContext())
        {
            Assert.All(await db.ControlMeasures.Where(m => m.CourseId == course.Id).ToListAsync(Ct), s => Assert.Equal((MeasureState.Active, pending.Id), (s.State, s.SupersededBy!.Value)));
        }
        using var command = await Factory.ClientForAsync(StaffRoles.Command, TestData.Street);
        Assert.Equal(HttpStatusCode.OK, (await command.PostAsJsonAsync($"/api/v1/restrictions/{pending.Id}/reject", new { note = "依据不足" }, Json, Ct)).StatusCode);
        await using (var db = Factory.CreateDbContext())
        {
            Assert.All(await db.ControlMeasures.Where(m => m.CourseId == course.Id).ToListAsync(Ct), s => Assert.Equal(MeasureState.Active, s.State));
            Assert.All(await db.ControlMeasures.Where(m => m.CourseId == course.Id).ToListAsync(Ct), s => Assert.Null(s.SupersededBy));
        }

        var second = await ReadAsync<CourseItem>(await Client.PostAsJsonAsync($"/api/v1/measures/courses/{course.Id}/change",
            new { anchorDay = Today.AddDays(-1), reason = "流调再次更正末次暴露日期", basis = "Other" }, Json, Ct));
        Assert.Equal(HttpStatusCode.OK, (await command.PostAsJsonAsync($"/api/v1/restrictions/{second.Id}/approve", new { note = "同意" }, Json, Ct)).StatusCode);
        await using (var db = Factory.CreateDbContext())
        {
            Assert.All(await db.ControlMeasures.Where(m => m.CourseId == course.Id).ToListAsync(Ct), s => Assert.Equal((MeasureState.Superseded, second.Id), (s.State, s.SupersededBy!.Value)));
            Assert.Equal(RestrictionState.Lifted, (await db.Restrictions.SingleAsync(r => r.Id == course.Id, Ct)).State);
            Assert.All(await db.ControlMeasures.Where(m => m.CourseId == second.Id).ToListAsync(Ct), s => Assert.Equal(MeasureState.Active, s.State));
        }
    }

    [Fact]
    public async Task Recompute_AfterPuttingTwentyMeasuresInForce_PreviewsThenApplies()
    {
        var contact = await PersonAsync(RecomputeCommunity);
        var lowRisk = await PersonAsync(RecomputeCommunity);
        var course = await IssueAsync(contact, CloseContact(Today.AddDays(-1), basis: "Arrival", reference: await ArrivalReportAsync(contact, RecomputeCommunity)));
        var lowCourse = await IssueAsync(lowRisk, new { category = "LowRiskAreaArrival", anchorDay = Today, reason = "低风险区来返三天两检", basis = "Arrival",
            basisReference = await ArrivalReportAsync(lowRisk, RecomputeCommunity) });
        Assert.Equal("NHC-9", course.PolicyCode);
        var empty = await Client.GetFromJsonAsync<RecomputePreview>($"/api/v1/measures/recompute-preview?jurisdiction={RecomputeCommunity}", Json, Ct);
        Assert.Empty(empty!.Items);

        await Factory.PutInForceAsync(RecomputeCommunity, "NHC-9-20", Today);
        var preview = await Client.GetFromJsonAsync<RecomputePreview>($"/api/v1/measures/recompute-preview?jurisdiction={RecomputeCommunity}", Json, Ct);
        var replaced = Assert.Single(preview!.Items, i => i.CourseId == course.Id);
        Assert.Equal((RecomputeOutcome.Replaced, "NHC-9-20", Today.AddDays(9), Today.AddDays(7)), (replaced.Outcome, replaced.NewPolicyCode, replaced.OldLastDay, replaced.NewLastDay));
        Assert.Equal([MeasureKind.CentralisedQuarantine, MeasureKind.HomeQuarantine], replaced.NewStages.Select(s => s.Kind));
        var endedItem = Assert.Single(preview.Items, i => i.CourseId == lowCourse.Id);
        Assert.Equal(RecomputeOutcome.Ended, endedItem.Outcome);
        // Nothing changed yet.
        Assert.Equal(2, await StageCountAsync(contact));

        Assert.True((await ErrorsAsync(await Client.PostAsJsonAsync("/api/v1/measures/recompute", new { jurisdiction = RecomputeCommunity, courseIds = new[] { Guid.NewGuid() }, reason = "按二十条重算" }, Json, Ct))).ContainsKey("CourseIds"));
        Assert.True((await ErrorsAsync(await Client.PostAsJsonAsync("/api/v1/measures/recompute", new { jurisdiction = RecomputeCommunity, courseIds = new[] { course.Id } }, Json, Ct))).ContainsKey("Reason"));

        var response = await Client.PostAsJsonAsync("/api/v1/measures/recompute",
            new { jurisdiction = RecomputeCommunity, courseIds = new[] { course.Id, lowCourse.Id }, reason = "按二十条重算在管人员" }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await ReadAsync<RecomputeResult>(response);
        Assert.Equal((1, 1), (result.Replaced, result.Ended));
        var timeline = await Client.GetFromJsonAsync<PersonTimeline>($"/api/v1/persons/{contact}/measures", Json, Ct);
        var now = timeline!.Courses.Single(c => c.Course.Id == result.NewCourseIds[0]).Course;
        Assert.Equal(("NHC-9-20", RestrictionState.Active, Today.AddDays(7)), (now.PolicyCode, now.State, now.Stages[^1].EndDay));
        Assert.All(timeline.Courses.Single(c => c.Course.Id == course.Id).Course.Stages, s => Assert.Equal(MeasureStatus.Superseded, s.Status));
        var low = await Client.GetFromJsonAsync<PersonTimeline>($"/api/v1/persons/{lowRisk}/measures", Json, Ct);
        Assert.All(Assert.Single(low!.Courses).Course.Stages, s => Assert.Equal(MeasureStatus.EndedEarly, s.Status));
        var after = await Client.GetFromJsonAsync<RecomputePreview>($"/api/v1/measures/recompute-preview?jurisdiction={RecomputeCommunity}", Json, Ct);
        Assert.Empty(after!.Items);
    }

    [Fact]
    public async Task Recompute_OfACourseOnAnOtherBasis_WaitsForASecondPerson_AndTheOldCourseRunsUntilThen()
    {
        var contact = await PersonAsync(RecomputeApprovalCommunity);
        var course = await IssueAsync(contact, CloseContact(Today.AddDays(-1)));
        using var command = await Factory.ClientForAsync(StaffRoles.Command, TestData.Street);
        Assert.Equal(HttpStatusCode.OK, (await command.PostAsJsonAsync($"/api/v1/restrictions/{course.Id}/approve", new { note = "同意" }, Json, Ct)).StatusCode);
        await Factory.PutInForceAsync(RecomputeApprovalCommunity, "NHC-9-20", Today);

        var response = await Client.PostAsJsonAsync("/api/v1/measures/recompute",
            new { jurisdiction = RecomputeApprovalCommunity, courseIds = new[] { course.Id }, reason = "按二十条重算在管人员" }, Json, Ct);
        var result = await ReadAsync<RecomputeResult>(response);
        Assert.Equal((1, 1), (result.Replaced, result.AwaitingApproval));
        var timeline = await Client.GetFromJsonAsync<PersonTimeline>($"/api/v1/persons/{contact}/measures", Json, Ct);
        Assert.Equal(RestrictionState.PendingApproval, timeline!.Courses.Single(c => c.Course.Id == result.NewCourseIds[0]).Course.State);
        Assert.Equal(MeasureStatus.InForce, timeline.Courses.Single(c => c.Course.Id == course.Id).Course.Stages[0].Status);
        // Already being recomputed: the preview no longer offers it.
        var preview = await Client.GetFromJsonAsync<RecomputePreview>($"/api/v1/measures/recompute-preview?jurisdiction={RecomputeApprovalCommunity}", Json, Ct);
        Assert.Empty(preview!.Items);

        Assert.Equal(HttpStatusCode.OK, (await command.PostAsJsonAsync($"/api/v1/restrictions/{result.NewCourseIds[0]}/approve", new { note = "同意" }, Json, Ct)).StatusCode);
        timeline = await Client.GetFromJsonAsync<PersonTimeline>($"/api/v1/persons/{contact}/measures", Json, Ct);
        Assert.All(timeline!.Courses.Single(c => c.Course.Id == course.Id).Course.Stages, s => Assert.Equal(MeasureStatus.Superseded, s.Status));
        Assert.Equal(("NHC-9-20", RestrictionState.Active), (timeline.Courses.Single(c => c.Course.Id == result.NewCourseIds[0]).Course.PolicyCode,
            timeline.Courses.Single(c => c.Course.Id == result.NewCourseIds[0]).Course.State));
    }
}

public sealed class MeasuresApiTests_Sqlite(SqliteAppFactory f) : MeasuresApiTests(f), IClassFixture<SqliteAppFactory>;

public sealed class MeasuresApiTests_Postgres(PostgresAppFactory f) : MeasuresApiTests(f), IClassFixture<PostgresAppFactory>;
