using Shouwang.Web.Components;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Features.Registry;
using Shouwang.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
// Serve MudBlazor's and Blazor's files straight from the build output in every environment, not only Development.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddShouwangPlatform(builder.Configuration);
builder.Services.AddJurisdictions();
builder.Services.AddRegistry();
builder.Services.AddConsole();

var app = builder.Build();

if (Commands.IsCommand(args))
{
    Environment.ExitCode = await Commands.RunAsync(app.Services, args);
    return;
}

await Startup.PrepareDatabaseAsync(app.Services, app.Configuration);

app.UseShouwangPlatform();
app.MapJurisdictions();
app.MapRegistry();
app.MapConsole();

app.Run();

public partial class Program;
