using System.Net.Http.Json;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.MassTesting;

/// <summary>The lab-results page renders (server prerendering): the upload for those who import, the round's retests for all who view testing.</summary>
public sealed class LabResultsConsoleTests(SqliteAppFactory factory) : ApiTestBase(factory), IClassFixture<SqliteAppFactory>
{
    [Fact]
    public async Task A_community_worker_sees_the_upload_and_the_rounds_retests_and_a_grid_worker_only_the_retests()
    {
        var sampling = new SamplingTestData(Factory, Data, TestData.Community);
        await sampling.InitializeAsync(Client, Json, Ct);
        var pool = await sampling.TubeAsync(10);
        var response = await Client.PostAsJsonAsync("/api/v1/lab-results", new { results = new[] { new { tubeBarcode = pool.Barcode, result = "阳性", at = DateTimeOffset.UtcNow } } }, Json, Ct);
        response.EnsureSuccessStatusCode();

        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var page = await worker.GetStringAsync("/lab-results", Ct);
        Assert.Contains("lab-file", page);
        Assert.Contains("retests-table", page);
        Assert.Contains(pool.Barcode, page);

        using var grid = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, sampling.GridId);
        var gridPage = await grid.GetStringAsync("/lab-results", Ct);
        Assert.DoesNotContain("lab-file", gridPage);
        Assert.Contains(pool.Barcode, gridPage);
    }
}
