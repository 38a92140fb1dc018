using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shouwang.Domain.Arrivals;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Arrivals;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Arrivals;

public abstract class ArrivalsApiTests(AppFactory factory) : ApiTestBase(factory)
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Data.GridAsync();
        await Data.GridAsync(TestData.SiblingCommunity);
        await Factory.PutInForceAsync(TestData.Street, "NHC-9");
    }

    private DateOnly Today => Factory.Get<LocalClock>().Today();

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string NewPhone() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);

    private Dictionary<string, object?> Report(string origin, string? document = null, string community = TestData.Community, int leftDaysAgo = 2, int arrivedDaysAgo = 1) => new()
    {
        ["documentNumber"] = document ?? TestData.NewIdNumber(), ["name"] = "王来返", ["phone"] = NewPhone(), ["originCode"] = origin,
        ["route"] = "武汉—长沙—株洲", ["transport"] = "Train", ["transportDetail"] = "G1001",
        ["leftOn"] = Day(Today.AddDays(-leftDaysAgo)), ["arrivedOn"] = Day(Today.AddDays(-arrivedDaysAgo)),
        ["communityCode"] = community, ["stayAddress"] = "晏家湾小区3栋201",
    };

    private async Task<SubmittedArrival> CreateAsync(Dictionary<string, object?> body, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/api/v1/arrivals", body, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SubmittedArrival>(Json, Ct))!;
    }

    private async Task AddRegionAsync(string code, RiskAreaLevel level, DateOnly? from = null, DateOnly? until = null)
    {
        await using var db = Factory.CreateDbContext();
        db.ExternalRiskRegions.Add(new ExternalRiskRegion
        {
            DivisionCode = code, Name = Origins.FullName(code)!, Level = level, FromDay = from ?? Today.AddDays(-30), UntilDay = until, UpdatedByName = "test", UpdatedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync(Ct);
    }

    private static async Task<IDictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json, Ct))!.Errors;
    }

    [Fact]
    public void Origins_NameTheWholeChain_AndCascade()
    {
        Assert.Equal("湖北省武汉市江岸区", Origins.FullName("420102"));
        Assert.Equal("湖北省武汉市江岸区大智街道", Origins.FullName("420102002"));
        Assert.Equal("北京市东城区东华门街道", Origins.FullName("110101001"));
        Assert.Equal("湖南省株洲市荷塘区金山街道晏家湾社区居委会", Origins.FullName(TestData.Community));
        Assert.Equal("境外", Origins.FullName(Origins.Abroad));
        Assert.Contains(Origins.Children(null), o => o.Code == "42" && o.Name == "湖北省");
        Assert.Contains(Origins.Children("4201"), o => o.Code == "420102");
        Assert.Contains(Origins.Children("420102"), o => o.Code == "420102002");
        Assert.Equal(["42", "4201", "420102", "420102002"], Origins.Chain("420102002"));
        Assert.True(Origins.IsValidOrigin("420102"));
        Assert.False(Origins.IsValidOrigin("4201"));
        Assert.False(Origins.IsValidOrigin("420199"));
    }

    [Fact]
    public async Task OriginRisk_FromACountyRegion_CoversItsStreets_AndTheCountyItself()
    {
        await AddRegionAsync("420102", RiskAreaLevel.High);
        await using var db = Factory.CreateDbContext();

        var street = await OriginRisk.LookUpAsync(db, "420102002", Today.AddDays(-2), Ct);
        Assert.Equal(RiskAreaLevel.High, street.Level);
        Assert.Equal(OriginRiskSource.ExternalList, street.Source);
        Assert.Equal(PersonCategory.HighRiskAreaArrival, street.Category);
        Assert.Equal(RiskAreaLevel.High, (await OriginRisk.LookUpAsync(db, "420102", Today.AddDays(-2), Ct)).Level);
        // Left before the region was designated: not covered.
        Assert.Null((await OriginRisk.LookUpAsync(db, "420102002", Today.AddDays(-40), Ct)).Level);
    }

    [Fact]
    public async Task OriginRisk_FromAStreetRegion_CoversTheStreet_AndWarnsForTheCounty()
    {
        await AddRegionAsync("420103001", RiskAreaLevel.Medium);
        await using var db = Factory.CreateDbContext();

        var street = await OriginRisk.LookUpAsync(db, "420103001", Today.AddDays(-2), Ct);
        Assert.Equal(RiskAreaLevel.Medium, street.Level);
        Assert.Equal(PersonCategory.MediumRiskAreaArrival, street.Category);

        var county = await OriginRisk.LookUpAsync(db, "420103", Today.AddDays(-2), Ct);
        Assert.Null(county.Level);
        Assert.Contains(county.Inside, i => i.Code == "420103001" && i.Level == RiskAreaLevel.Medium);

        var neighbour = await OriginRisk.LookUpAsync(db, "420103002", Today.AddDays(-2), Ct);
        Assert.Null(neighbour.Level);
        Assert.Empty(neighbour.Inside);
    }

    [Fact]
    public async Task OriginRisk_FromOurOwnCommunityDesignation_CoversThatCommittee_AndWarnsForItsStreet()
    {
        await using var db = Factory.CreateDbContext();
        db.RiskAreas.Add(new Domain.RiskAreas.RiskArea
        {
            CommunityCode = long.Parse(TestData.SiblingCommunity, CultureInfo.InvariantCulture), Scope = Domain.RiskAreas.RiskAreaScope.Community, Name = "流芳社区",
            Level = RiskAreaLevel.Medium, StartDay = Today.AddDays(-5), LevelSince = Today.AddDays(-5), Reason = "社区传播", CreatedByName = "test",
        });
        await db.SaveChangesAsync(Ct);

        var committee = await OriginRisk.LookUpAsync(db, TestData.SiblingCommunity, Today.AddDays(-1), Ct);
        Assert.Equal(RiskAreaLevel.Medium, committee.Level);
        Assert.Equal(OriginRiskSource.OwnDesignation, committee.Source);
        var street = await OriginRisk.LookUpAsync(db, TestData.Street, Today.AddDays(-1), Ct);
        Assert.Null(street.Level);
        Assert.Contains(street.Inside, i => i.Code == TestData.SiblingCommunity && i.Level == RiskAreaLevel.Medium);
    }

    [Fact]
    public async Task OriginRisk_WithNoRegion_IsNone_AndProposesTheLowRiskRuleOfTheNinthEdition()
    {
        var created = await CreateAsync(Report("110101001"));

        Assert.Null(created.OriginRiskLevel);
        Assert.Equal(PersonCategory.LowRiskAreaArrival, created.ProposedCategory);
        Assert.Equal(ArrivalState.Submitted, created.State);
        Assert.Matches(ArrivalNumbers.Pattern, created.Number);
    }

    [Fact]
    public async Task Create_ByStaff_IsListedWithTheOriginRisk_AndReadable()
    {
        await AddRegionAsync("420104", RiskAreaLevel.High);
        var created = await CreateAsync(Report("420104001"));

        Assert.Equal(RiskAreaLevel.High, created.OriginRiskLevel);
        Assert.Equal(PersonCategory.HighRiskAreaArrival, created.ProposedCategory);
        var list = await Client.GetFromJsonAsync<Paged<ArrivalListItem>>($"/api/v1/arrivals?state=Submitted&jurisdiction={TestData.Street}&pageSize=200", Json, Ct);
        var item = Assert.Single(list!.Items, i => i.Id == created.Id);
        Assert.Equal("湖北省武汉市硚口区", item.OriginName[..9]);
        Assert.Equal(ArrivalSource.Staff, item.Source);
        Assert.Contains("*", item.DocumentNumber);
        Assert.Contains("*", item.Phone);

        var detail = await Client.GetFromJsonAsync<ArrivalDetail>($"/api/v1/arrivals/{created.Id}", Json, Ct);
        Assert.Equal(Transport.Train, detail!.Transport);
        Assert.Equal("G1001", detail.TransportDetail);
        Assert.Empty(detail.Matches);
    }

    [Fact]
    public async Task Create_WithBadInput_NamesEachField_AndWritesNothing()
    {
        int before;
        await using (var db = Factory.CreateDbContext()) before = await db.ArrivalReports.CountAsync(Ct);
        var body = Report("4201");
        body["documentNumber"] = "430202199001011234";
        body["phone"] = "12345";
        body["transport"] = "Rocket";
        body["leftOn"] = Day(Today);
        body["arrivedOn"] = Day(Today.AddDays(-1));
        body["communityCode"] = "430202005999";
        body["stayAddress"] = "";

        var errors = await ErrorsAsync(await Client.PostAsJsonAsync("/api/v1/arrivals", body, Json, Ct));

        foreach (var field in new[] { "DocumentNumber", "Phone", "OriginCode", "Transport", "ArrivedOn", "CommunityCode", "StayAddress" })
            Assert.True(errors.ContainsKey(field), field);
        Assert.Contains("出发地", errors["OriginCode"][0]);
        await using (var db = Factory.CreateDbContext()) Assert.Equal(before, await db.ArrivalReports.CountAsync(Ct));
    }

    [Fact]
    public async Task SiblingCommunity_SeesNothing_AndCannotReview()
    {
        var created = await CreateAsync(Report("110101001"));
        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);

        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/arrivals/{created.Id}", Ct)).StatusCode);
        var list = await sibling.GetFromJsonAsync<Paged<ArrivalListItem>>("/api/v1/arrivals?pageSize=200", Json, Ct);
        Assert.DoesNotContain(list!.Items, i => i.Id == created.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/arrivals/{created.Id}/dismiss", new { note = "重复" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/arrivals/{created.Id}/confirm", new { }, Json, Ct)).StatusCode);
        // Nor can they file a report into the other community.
        var errors = await ErrorsAsync(await sibling.PostAsJsonAsync("/api/v1/arrivals", Report("110101001"), Json, Ct));
        Assert.True(errors.ContainsKey("CommunityCode"));
        await using var db = Factory.CreateDbContext();
        Assert.Equal(ArrivalState.Submitted, (await db.ArrivalReports.SingleAsync(a => a.Id == created.Id, Ct)).State);
    }

    [Fact]
    public async Task GridWorker_RecordsAReport_InTheirGrid_AndSeesIt()
    {
        var grid = await Data.GridAsync();
        using var worker = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, grid.Id);

        var created = await CreateAsync(Report("110101001"), worker);

        Assert.Equal(HttpStatusCode.OK, (await worker.GetAsync($"/api/v1/arrivals/{created.Id}", Ct)).StatusCode);
        await using var db = Factory.CreateDbContext();
        Assert.Equal(grid.Id, (await db.ArrivalReports.SingleAsync(a => a.Id == created.Id, Ct)).GridId);
    }

    [Fact]
    public async Task Observer_CanRead_ButNotWrite()
    {
        var created = await CreateAsync(Report("110101001"));
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);

        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync($"/api/v1/arrivals/{created.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync("/api/v1/arrivals", Report("110101001"), Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/arrivals/{created.Id}/confirm", new { }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/arrivals/{created.Id}/no-measure", new { note = "低风险" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/arrivals/{created.Id}/dismiss", new { note = "重复" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync("/api/v1/risk-regions", new { divisionCode = "110101", level = "High", fromDay = Day(Today) }, Json, Ct)).StatusCode);
        await using var db = Factory.CreateDbContext();
        Assert.Equal(ArrivalState.Submitted, (await db.ArrivalReports.SingleAsync(a => a.Id == created.Id, Ct)).State);
    }

    [Fact]
    public async Task Confirm_HighRiskOrigin_IssuesSevenDaysCentralisedQuarantineCountedFromLeaving_LinkedToTheReport()
    {
        await AddRegionAsync("420105", RiskAreaLevel.High);
        var household = await Data.HouseholdAsync();
        var (personId, document) = await Data.PersonAsync(household, "李返乡");
        var created = await CreateAsync(Report("420105002", document, leftDaysAgo: 2, arrivedDaysAgo: 1));
        Assert.Equal(PersonCategory.HighRiskAreaArrival, created.ProposedCategory);
        var detail = await Client.GetFromJsonAsync<ArrivalDetail>($"/api/v1/arrivals/{created.Id}", Json, Ct);
        Assert.Equal(personId, Assert.Single(detail!.Matches).Id);
        Assert.Equal(personId, detail.Report.PersonId);

        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var response = await worker.PostAsJsonAsync($"/api/v1/arrivals/{created.Id}/confirm", new { }, Json, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var confirmed = (await response.Content.ReadFromJsonAsync<ArrivalDetail>(Json, Ct))!;
        Assert.Equal(ArrivalState.MeasureIssued, confirmed.Report.State);
        Assert.NotNull(confirmed.Report.CourseId);
        await using var db = Factory.CreateDbContext();
        var leftOn = Today.AddDays(-2);
        var stage = Assert.Single(await db.ControlMeasures.Where(m => m.CourseId == confirmed.Report.CourseId).ToListAsync(Ct));
        Assert.Equal(MeasureKind.CentralisedQuarantine, stage.Kind);
        Assert.Equal(PersonCategory.HighRiskAreaArrival, stage.Category);
        Assert.Equal(personId, stage.PersonId);
        Assert.Equal(leftOn, stage.AnchorDay);
        Assert.Equal(leftOn.AddDays(1), stage.StageFirstDay);
        Assert.Equal(leftOn.AddDays(7), stage.EndDay);
        Assert.Equal("NHC-9", stage.PolicyCode);
        var restriction = await db.Restrictions.SingleAsync(r => r.Id == confirmed.Report.CourseId, Ct);
        Assert.Equal(RestrictionBasis.Arrival, restriction.Basis);
        Assert.Equal(created.Number, restriction.BasisReference);
        Assert.Equal(RestrictionState.Active, restriction.State);

        // Reviewed once: a second decision is refused.
        Assert.Equal(HttpStatusCode.Conflict, (await worker.PostAsJsonAsync($"/api/v1/arrivals/{created.Id}/dismiss", new { note = "重复" }, Json, Ct)).StatusCode);
    }

    [Fact]
    public async Task Confirm_APersonNotInTheRegistry_AddsThemToTheHousehold_WithACategoryOverride()
    {
        var household = await Data.HouseholdAsync();
        var created = await CreateAsync(Report("110101001", leftDaysAgo: 3, arrivedDaysAgo: 1));
        Assert.Null(created.OriginRiskLevel);

        var missing = await ErrorsAsync(await Client.PostAsJsonAsync($"/api/v1/arrivals/{created.Id}/confirm", new { }, Json, Ct));
        Assert.True(missing.ContainsKey("PersonId"));

        var response = await Client.PostAsJsonAsync($"/api/v1/arrivals/{created.Id}/confirm",
            new { householdId = household, category = "MediumRiskAreaArrival", reason = "出发地街道已划为中风险区，按中风险管理" }, Json, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var confirmed = (await response.Content.ReadFromJsonAsync<ArrivalDetail>(Json, Ct))!;
        await using var db = Factory.CreateDbContext();
        var person = await db.Persons.SingleAsync(p => p.Id == confirmed.Report.PersonId, Ct);
        Assert.Equal(household, person.HouseholdId);
        Assert.Equal("王来返", person.Name);
        var stage = Assert.Single(await db.ControlMeasures.Where(m => m.CourseId == confirmed.Report.CourseId).ToListAsync(Ct));
        Assert.Equal(MeasureKind.HomeQuarantine, stage.Kind);
        Assert.Equal(Today.AddDays(-3), stage.AnchorDay);
    }

    [Fact]
    public async Task NoMeasure_AndDismiss_CloseTheReport_WithANote()
    {
        var first = await CreateAsync(Report("110101001"));
        var second = await CreateAsync(Report("110101001"));

        var errors = await ErrorsAsync(await Client.PostAsJsonAsync($"/api/v1/arrivals/{first.Id}/no-measure", new { note = "" }, Json, Ct));
        Assert.True(errors.ContainsKey("Note"));
        var closed = await Client.PostAsJsonAsync($"/api/v1/arrivals/{first.Id}/no-measure", new { note = "出发地非风险地区" }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(ArrivalState.NoMeasureNeeded, (await closed.Content.ReadFromJsonAsync<ArrivalDetail>(Json, Ct))!.Report.State);
        var dismissed = await Client.PostAsJsonAsync($"/api/v1/arrivals/{second.Id}/dismiss", new { note = "重复报备" }, Json, Ct);
        Assert.Equal(ArrivalState.Dismissed, (await dismissed.Content.ReadFromJsonAsync<ArrivalDetail>(Json, Ct))!.Report.State);
    }

    [Fact]
    public async Task TenthEdition_ProposesNoMeasure_AndConfirmWithoutACategoryIsRefused()
    {
        await Factory.PutInForceAsync(TestData.SiblingCommunity, "NHC-10");
        await AddRegionAsync("420106", RiskAreaLevel.High);
        var household = await Data.HouseholdAsync(TestData.SiblingCommunity);
        var (_, document) = await Data.PersonAsync(household);

        var created = await CreateAsync(Report("420106001", document, TestData.SiblingCommunity));

        Assert.Equal(RiskAreaLevel.High, created.OriginRiskLevel);
        Assert.Null(created.ProposedCategory);
        var errors = await ErrorsAsync(await Client.PostAsJsonAsync($"/api/v1/arrivals/{created.Id}/confirm", new { }, Json, Ct));
        Assert.True(errors.ContainsKey("Category"));
        var forced = await ErrorsAsync(await Client.PostAsJsonAsync($"/api/v1/arrivals/{created.Id}/confirm", new { category = "HighRiskAreaArrival" }, Json, Ct));
        Assert.True(forced.ContainsKey("Category"));
    }

    [Fact]
    public async Task Abroad_ProposesInboundTraveller()
    {
        var body = Report(Origins.Abroad);
        body["documentType"] = "Passport";
        body["documentNumber"] = "E12345678";

        var created = await CreateAsync(body);

        Assert.True(created.IsAbroad);
        Assert.Equal(PersonCategory.InboundTraveller, created.ProposedCategory);
    }

    [Fact]
    public async Task IssueDirectly_APublicReportOfARegisteredPerson_GetsItsMeasureAtOnce_AndStaffAnAlert()
    {
        await AddRegionAsync("420107", RiskAreaLevel.High);
        var household = await Data.HouseholdAsync();
        const string phone = "13912340077";
        var (personId, document) = await Data.PersonAsync(household, phone: phone);
        var unknownDocument = TestData.NewIdNumber();
        var withPhone = (Dictionary<string, object?> body) => { body["phone"] = phone; return body; };
        // The options instance is the app's singleton: switched on for this test only.
        var options = Factory.Get<IOptions<ArrivalOptions>>().Value;
        options.IssueDirectly = true;
        SubmittedArrival direct, unmatched, otherPhone;
        try
        {
            using var _ = CallerContext.AsSystem();
            var submit = Factory.Get<SubmitArrival>();
            // Anyone may file a public report: only one with the registered person's own phone restricts them at once.
            otherPhone = Success(await submit.SubmitPublicAsync(ToInput(Report("420107001", document)), Ct));
            direct = Success(await submit.SubmitPublicAsync(ToInput(withPhone(Report("420107001", document))), Ct));
            unmatched = Success(await submit.SubmitPublicAsync(ToInput(Report("420107001", unknownDocument)), Ct));
        }
        finally
        {
            options.IssueDirectly = false;
        }

        Assert.Equal(ArrivalState.Submitted, otherPhone.State);
        Assert.Equal(ArrivalState.MeasureIssued, direct.State);
        Assert.Equal(ArrivalState.Submitted, unmatched.State);
        await using var db = Factory.CreateDbContext();
        var report = await db.ArrivalReports.SingleAsync(a => a.Id == direct.Id, Ct);
        Assert.Equal(personId, report.PersonId);
        var restriction = await db.Restrictions.SingleAsync(r => r.Id == report.CourseId, Ct);
        Assert.Equal(direct.Number, restriction.BasisReference);
        Assert.True(await db.Alerts.AnyAsync(a => a.SubjectId == direct.Id && a.Kind == Domain.Alerts.AlertKind.ArrivalFromRiskArea, Ct));
        Assert.True(await db.Alerts.AnyAsync(a => a.SubjectId == unmatched.Id, Ct));

        // Off (the default), the same report waits for staff.
        using (CallerContext.AsSystem())
        {
            var waiting = Success(await Factory.Get<SubmitArrival>().SubmitPublicAsync(ToInput(Report("420107001", document)), Ct));
            Assert.Equal(ArrivalState.Submitted, waiting.State);
        }
    }

    private static ArrivalInput ToInput(Dictionary<string, object?> body) => new()
    {
        DocumentNumber = (string?)body["documentNumber"], Name = (string?)body["name"], Phone = (string?)body["phone"], OriginCode = (string?)body["originCode"],
        Transport = (string?)body["transport"], LeftOn = (string?)body["leftOn"], ArrivedOn = (string?)body["arrivedOn"], CommunityCode = (string?)body["communityCode"],
        StayAddress = (string?)body["stayAddress"],
    };

    private static T Success<T>(Outcome<T> outcome) => outcome is Outcome<T>.Success s ? s.Value : throw new InvalidOperationException($"Expected success: {outcome}");
}

public sealed class ArrivalsApiTests_Sqlite(SqliteAppFactory factory) : ArrivalsApiTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class ArrivalsApiTests_Postgres(PostgresAppFactory factory) : ArrivalsApiTests(factory), IClassFixture<PostgresAppFactory>;
