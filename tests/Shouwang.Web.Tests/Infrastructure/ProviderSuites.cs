using System.Text.Json;
using System.Text.Json.Serialization;
using Shouwang.Web.Features.Accounts;

namespace Shouwang.Web.Tests.Infrastructure;

/// <summary>
/// Base of a suite that runs once per database provider: derive it twice, with each factory as class fixture.
/// <see cref="Client"/> is signed in as an administrator of the province (湖南, 43), which holds all test data.
/// </summary>
public abstract class ApiTestBase(AppFactory factory) : IAsyncLifetime
{
    /// <summary>The API's JSON: camelCase, enums as names.</summary>
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    protected AppFactory Factory { get; } = factory;
    public const string Province = "43";

    protected HttpClient Client { get; private set; } = null!;
    protected TestData Data { get; } = new(factory);
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync() => Client = await Factory.ClientForAsync(StaffRoles.Admin, Province);

    public virtual ValueTask DisposeAsync()
    {
        Client?.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
