using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.PersonCodes;

/// <summary>Printed codes can be read back only exactly as the platform made them, with the platform's key.</summary>
public abstract class CodeSignerTests(AppFactory factory) : ApiTestBase(factory)
{
    private CodeSigner NewSigner(string? configuredKey = null) => new(
        Factory.Get<IDbContextFactory<AppDbContext>>(),
        new ConfigurationBuilder().AddInMemoryCollection(configuredKey is null ? [] : new Dictionary<string, string?> { ["Shouwang:Codes:Key"] = configuredKey }).Build(),
        TimeProvider.System);

    private static string RandomKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task Code_RoundTrips_ForBothKinds()
    {
        var signer = Factory.Get<CodeSigner>();
        var id = Guid.NewGuid();
        var person = await signer.CodeAsync(CodeKind.Person, id, 3, Ct);
        var card = await signer.CodeAsync(CodeKind.PassCard, id, 7, Ct);

        Assert.StartsWith("SWP1:", person);
        Assert.Equal(5 + 48, person.Length);
        Assert.Equal(new CodeContent(CodeKind.Person, id, 3), await signer.ReadAsync(person, Ct));
        Assert.Equal(new CodeContent(CodeKind.PassCard, id, 7), await signer.ReadAsync(card, Ct));
        // A scanner may type it in lower case or with a trailing newline.
        Assert.Equal(new CodeContent(CodeKind.Person, id, 3), await signer.ReadAsync(person.ToLowerInvariant() + "\r\n", Ct));
    }

    [Fact]
    public async Task AlteredTruncatedOtherKindAndGarbage_AreRejected()
    {
        var signer = Factory.Get<CodeSigner>();
        var code = await signer.CodeAsync(CodeKind.Person, Guid.NewGuid(), 1, Ct);

        for (var i = 5; i < code.Length; i++)
        {
            var flipped = code.ToCharArray();
            flipped[i] = flipped[i] == 'A' ? 'B' : 'A';
            Assert.Null(await signer.ReadAsync(new string(flipped), Ct));
        }
        Assert.Null(await signer.ReadAsync(code[..^1], Ct));
        Assert.Null(await signer.ReadAsync(code[..20], Ct));
        Assert.Null(await signer.ReadAsync("SWH1:" + code[5..], Ct));
        Assert.Null(await signer.ReadAsync("SWP1:", Ct));
        Assert.Null(await signer.ReadAsync("SWP1:!!!!", Ct));
        Assert.Null(await signer.ReadAsync("430202199001011234", Ct));
    }

    [Fact]
    public async Task ACodeMadeWithAnotherKey_IsRejected()
    {
        var platform = Factory.Get<CodeSigner>();
        var forger = NewSigner(RandomKey());
        var id = Guid.NewGuid();
        var forged = await forger.CodeAsync(CodeKind.Person, id, 1, Ct);

        Assert.NotNull(await forger.ReadAsync(forged, Ct));
        Assert.Null(await platform.ReadAsync(forged, Ct));
        Assert.Null(await forger.ReadAsync(await platform.CodeAsync(CodeKind.Person, id, 1, Ct), Ct));
    }

    [Fact]
    public async Task TwoSignersRacingToCreateTheKey_AgreeOnIt()
    {
        await using (var db = Factory.CreateDbContext())
            await db.SigningKeys.Where(k => k.Purpose == "codes").ExecuteDeleteAsync(Ct);

        for (var round = 0; round < 3; round++)
        {
            if (round > 0)
            {
                await using var db = Factory.CreateDbContext();
                await db.SigningKeys.Where(k => k.Purpose == "codes").ExecuteDeleteAsync(Ct);
            }
            var first = NewSigner();
            var second = NewSigner();
            var id = Guid.NewGuid();
            var codes = await Task.WhenAll(first.CodeAsync(CodeKind.Person, id, 1, Ct), second.CodeAsync(CodeKind.Person, id, 1, Ct));

            Assert.Equal(codes[0], codes[1]);
            Assert.NotNull(await second.ReadAsync(codes[0], Ct));
            Assert.NotNull(await NewSigner().ReadAsync(codes[1], Ct));
            await using var check = Factory.CreateDbContext();
            Assert.Equal(1, await check.SigningKeys.CountAsync(k => k.Purpose == "codes", Ct));
        }
    }

    [Fact]
    public async Task AConfiguredKey_ShorterThan32Bytes_IsRefused() =>
        await Assert.ThrowsAsync<InvalidOperationException>(() => NewSigner(Convert.ToBase64String(new byte[16])).CodeAsync(CodeKind.Person, Guid.NewGuid(), 1, Ct));
}

public sealed class CodeSignerTests_Sqlite(SqliteAppFactory factory) : CodeSignerTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class CodeSignerTests_Postgres(PostgresAppFactory factory) : CodeSignerTests(factory), IClassFixture<PostgresAppFactory>;
