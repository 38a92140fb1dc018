using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shouwang.Web.Tests.Infrastructure;

/// <summary>Base of a suite that runs once per database provider: derive it twice, with each factory as class fixture.</summary>
public abstract class ApiTestBase(AppFactory factory)
{
    /// <summary>The API's JSON: camelCase, enums as names.</summary>
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    protected AppFactory Factory { get; } = factory;
    protected HttpClient Client { get; } = factory.CreateClient();
    protected TestData Data { get; } = new(factory);
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;
}
