using Shouwang.Web.Components;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Alerts;
using Shouwang.Web.Features.Arrivals;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.Checkpoints;
using Shouwang.Web.Features.FollowUps;
using Shouwang.Web.Features.Hotline;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Features.MassTesting;
using Shouwang.Web.Features.Measures;
using Shouwang.Web.Features.PassCards;
using Shouwang.Web.Features.PersonCodes;
using Shouwang.Web.Features.PlaceCodes;
using Shouwang.Web.Features.Policies;
using Shouwang.Web.Features.Registry;
using Shouwang.Web.Features.Restrictions;
using Shouwang.Web.Features.Retention;
using Shouwang.Web.Features.RiskAreas;
using Shouwang.Web.Features.WorkOrders;
using Shouwang.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
// Serve MudBlazor's and Blazor's files straight from the build output in every environment, not only Development.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddShouwangPlatform(builder.Configuration);
builder.Services.AddAccounts();
builder.Services.AddAccountAdmin();
builder.Services.AddAudit();
builder.Services.AddJurisdictions();
builder.Services.AddRegistry();
builder.Services.AddRestrictions();
builder.Services.AddPolicies();
builder.Services.AddMeasures();
builder.Services.AddFollowUps();
builder.Services.AddRiskAreas();
builder.Services.AddArrivals();
builder.Services.AddAlerts();
builder.Services.AddPersonCodes();
builder.Services.AddCheckpoints();
builder.Services.AddPassCards();
builder.Services.AddPlaceCodes();
builder.Services.AddMassTesting();
builder.Services.AddRetention();
builder.Services.AddWorkOrders();
builder.Services.AddHotline();
builder.Services.AddConsole();

var app = builder.Build();

if (Commands.IsCommand(args))
{
    Environment.ExitCode = await Commands.RunAsync(app.Services, args);
    return;
}

if (!await Startup.PrepareDatabaseAsync(app.Services, app.Configuration)) { Environment.ExitCode = 3; return; }

app.UseShouwangPlatform();
app.UseAccounts();
app.MapAccounts();
app.MapAccountAdmin();
app.MapAudit();
app.MapJurisdictions();
app.MapRegistry();
app.MapRestrictions();
app.MapPolicies();
app.MapMeasures();
app.MapFollowUps();
app.MapRiskAreas();
app.MapArrivals();
app.MapAlerts();
app.MapPersonCodes();
app.MapCheckpoints();
app.MapPassCards();
app.MapPlaceCodes();
app.MapMassTesting();
app.MapRetention();
app.MapWorkOrders();
app.MapHotline();
app.MapConsole();

app.Run();

public partial class Program;
