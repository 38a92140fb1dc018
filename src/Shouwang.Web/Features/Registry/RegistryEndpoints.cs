using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Registry.Import;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Registry;

public static class RegistryEndpoints
{
    public static IServiceCollection AddRegistry(this IServiceCollection services) => services
        .AddTransient<SearchPersons>().AddTransient<GetPerson>().AddTransient<SavePerson>()
        .AddTransient<SearchHouseholds>().AddTransient<GetHousehold>().AddTransient<SaveHousehold>()
        .AddTransient<ManagePlaces>().AddTransient<ImportRoster>().AddTransient<RegistryExport>().AddTransient<RevealPersonField>();

    public static IEndpointRouteBuilder MapRegistry(this IEndpointRouteBuilder app)
    {
        var persons = app.MapGroup("/api/v1/persons").WithTags("Persons").RequirePermission(Permission.ViewRegistry).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        persons.MapGet("/", SearchPersons).WithName("SearchPersons").WithSummary("Search residents by name, ID number, phone or address, paged");
        persons.MapGet("/export", ExportPersons).WithName("ExportPersons").WithSummary("The same search as .xlsx (ID and phone masked)").RequirePermission(Permission.Export)
            .Produces(200, contentType: ExcelExport.ContentType);
        persons.MapGet("/{id:guid}", GetPerson).WithName("GetPerson").WithSummary("One resident with their household");
        persons.MapPost("/{id:guid}/reveal", RevealPerson).WithName("RevealPerson")
            .WithSummary("The whole ID number or phone of one resident (field: DocumentNumber or Phone); every reveal is audited").RequirePermission(Permission.RevealIdentity);
        persons.MapPost("/", CreatePerson).WithName("CreatePerson").WithSummary("Register a resident in a household").RequirePermission(Permission.EditRegistry);
        persons.MapPut("/{id:guid}", UpdatePerson).WithName("UpdatePerson").WithSummary("Change a resident (a new household is a move)").RequirePermission(Permission.EditRegistry);

        var households = app.MapGroup("/api/v1/households").WithTags("Households").RequirePermission(Permission.ViewRegistry).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        households.MapGet("/", SearchHouseholds).WithName("SearchHouseholds").WithSummary("Search households by address or head's name, paged");
        households.MapGet("/export", ExportHouseholds).WithName("ExportHouseholds").WithSummary("The same search as .xlsx").RequirePermission(Permission.Export)
            .Produces(200, contentType: ExcelExport.ContentType);
        households.MapGet("/{id:guid}", GetHousehold).WithName("GetHousehold").WithSummary("One household with its members");
        households.MapPost("/", CreateHousehold).WithName("CreateHousehold").WithSummary("Create a household in a grid").RequirePermission(Permission.EditRegistry);
        households.MapPut("/{id:guid}", UpdateHousehold).WithName("UpdateHousehold").WithSummary("Change a household's address or grid").RequirePermission(Permission.EditRegistry);

        var places = app.MapGroup("/api/v1").WithTags("Places").RequirePermission(Permission.ViewRegistry).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        places.MapGet("/communities/{code}/compounds", (string code, ManagePlaces h, CancellationToken ct) => ToHttp(h.CompoundsAsync(code, ct)))
            .WithName("ListCompounds").WithSummary("Compounds (小区) or natural villages of a committee");
        places.MapPost("/communities/{code}/compounds", (string code, CompoundInput input, ManagePlaces h, CancellationToken ct) => ToHttp(h.AddCompoundAsync(code, input, ct)))
            .WithName("CreateCompound").RequirePermission(Permission.ManagePlaces).WithSummary("Add a compound to a committee");
        places.MapGet("/compounds/{id:guid}/buildings", (Guid id, ManagePlaces h, CancellationToken ct) => ToHttp(h.BuildingsAsync(id, ct)))
            .WithName("ListBuildings").WithSummary("Buildings of a compound");
        places.MapPost("/compounds/{id:guid}/buildings", (Guid id, BuildingInput input, ManagePlaces h, CancellationToken ct) => ToHttp(h.AddBuildingAsync(id, input, ct)))
            .WithName("CreateBuilding").RequirePermission(Permission.ManagePlaces).WithSummary("Add a building to a compound");
        places.MapGet("/communities/{code}/grids", (string code, ManagePlaces h, CancellationToken ct) => ToHttp(h.GridsAsync(code, ct)))
            .WithName("ListGrids").WithSummary("Grids of a committee with their staff and counts");
        places.MapPost("/communities/{code}/grids", (string code, GridInput input, ManagePlaces h, CancellationToken ct) => ToHttp(h.AddGridAsync(code, input, ct)))
            .WithName("CreateGrid").RequirePermission(Permission.ManagePlaces).WithSummary("Add a grid with its leader and workers");

        app.MapPost("/api/v1/communities/{code}/roster-imports", ImportRosterFile).WithTags("Roster import")
            .WithName("ImportRoster").WithSummary("Upload a roster (.xlsx/.csv, 20 MB at most): mode=Preview lists every bad row, All writes all or nothing, ValidOnly writes the good rows")
            .RequirePermission(Permission.ImportRoster).DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> ToHttp<T>(Task<Outcome<T>> outcome) =>
        (await outcome).ToHttp();

    private static async Task<Ok<Paged<PersonListItem>>> SearchPersons([AsParameters] PersonSearch search, SearchPersons handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(search, ct));

    private static async Task<FileContentHttpResult> ExportPersons([AsParameters] PersonSearch search, RegistryExport export, CancellationToken ct)
    {
        var (content, name) = await export.PersonsAsync(search, ct);
        return TypedResults.File(content, ExcelExport.ContentType, name);
    }

    private static async Task<Results<Ok<PersonDetails>, ValidationProblem, ProblemHttpResult>> GetPerson(Guid id, GetPerson handler, CancellationToken ct) =>
        (await handler.HandleAsync(id, ct)).ToHttp();

    private static async Task<Results<Ok<RevealedValue>, ValidationProblem, ProblemHttpResult>> RevealPerson(Guid id, RevealRequest request, RevealPersonField handler, CancellationToken ct) =>
        (await handler.HandleAsync(id, request.Field, ct)).ToHttp();

    private static async Task<Results<Created<SavedPerson>, ValidationProblem, ProblemHttpResult>> CreatePerson(PersonInput input, SavePerson handler, CancellationToken ct) =>
        (await handler.CreateAsync(input, ct)).ToCreated(p => $"/api/v1/persons/{p.Id}");

    private static async Task<Results<Ok<SavedPerson>, ValidationProblem, ProblemHttpResult>> UpdatePerson(Guid id, PersonInput input, SavePerson handler, CancellationToken ct) =>
        (await handler.UpdateAsync(id, input, ct)).ToHttp();

    private static async Task<Ok<Paged<HouseholdListItem>>> SearchHouseholds([AsParameters] HouseholdSearch search, SearchHouseholds handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(search, ct));

    private static async Task<FileContentHttpResult> ExportHouseholds([AsParameters] HouseholdSearch search, RegistryExport export, CancellationToken ct)
    {
        var (content, name) = await export.HouseholdsAsync(search, ct);
        return TypedResults.File(content, ExcelExport.ContentType, name);
    }

    private static async Task<Results<Ok<HouseholdDetails>, ValidationProblem, ProblemHttpResult>> GetHousehold(Guid id, GetHousehold handler, CancellationToken ct) =>
        (await handler.HandleAsync(id, ct)).ToHttp();

    private static async Task<Results<Created<SavedHousehold>, ValidationProblem, ProblemHttpResult>> CreateHousehold(HouseholdInput input, SaveHousehold handler, CancellationToken ct) =>
        (await handler.CreateAsync(input, ct)).ToCreated(h => $"/api/v1/households/{h.Id}");

    private static async Task<Results<Ok<SavedHousehold>, ValidationProblem, ProblemHttpResult>> UpdateHousehold(Guid id, HouseholdInput input, SaveHousehold handler, CancellationToken ct) =>
        (await handler.UpdateAsync(id, input, ct)).ToHttp();

    private static async Task<Results<Ok<RosterImportReport>, ValidationProblem, ProblemHttpResult>> ImportRosterFile(
        string code, IFormFile? file, [FromQuery] ImportMode? mode, [FromQuery] Guid? gridId, ImportRoster handler, IStringLocalizer<SharedResource> l, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [l["Import.File.Empty"]] });
        if (file.Length > RosterFileReader.MaxBytes)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [l["Import.File.TooLarge", RosterFileReader.MaxBytes / 1024 / 1024]] });
        await using var stream = file.OpenReadStream();
        return (await handler.HandleAsync(stream, code, gridId, mode ?? ImportMode.Preview, ct)).ToHttp();
    }
}
