using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Domain.MassTesting;

namespace Shouwang.Web.Features.MassTesting;

public sealed class TestingRoundConfiguration : IEntityTypeConfiguration<TestingRound>
{
    public void Configure(EntityTypeBuilder<TestingRound> builder)
    {
        builder.ToTable("TestingRounds");
        builder.Property(r => r.Name).HasMaxLength(100);
        builder.Property(r => r.CreatedByName).HasMaxLength(100);
        builder.HasIndex(r => r.StartsAt);
    }
}

public sealed class TestingRoundScopeConfiguration : IEntityTypeConfiguration<TestingRoundScope>
{
    public void Configure(EntityTypeBuilder<TestingRoundScope> builder)
    {
        builder.ToTable("TestingRoundScopes");
        builder.Property(s => s.NodeCode).HasMaxLength(12);
        builder.HasIndex(s => new { s.RoundId, s.NodeCode }).IsUnique();
        builder.HasIndex(s => new { s.Min, s.Max });
        builder.HasOne<TestingRound>().WithMany().HasForeignKey(s => s.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class RoundExemptionConfiguration : IEntityTypeConfiguration<RoundExemption>
{
    public void Configure(EntityTypeBuilder<RoundExemption> builder)
    {
        builder.ToTable("RoundExemptions");
        builder.Property(e => e.Note).HasMaxLength(200);
        builder.Property(e => e.ByName).HasMaxLength(100);
        builder.HasIndex(e => new { e.RoundId, e.PersonId }).IsUnique();
        builder.HasIndex(e => new { e.RoundId, e.CommunityCode, e.GridId });
        builder.HasOne<TestingRound>().WithMany().HasForeignKey(e => e.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class SamplingSiteConfiguration : IEntityTypeConfiguration<SamplingSite>
{
    public void Configure(EntityTypeBuilder<SamplingSite> builder)
    {
        builder.ToTable("SamplingSites");
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.Property(s => s.Address).HasMaxLength(200);
        builder.HasIndex(s => new { s.CommunityCode, s.Name });
    }
}

public sealed class SamplingSiteStaffConfiguration : IEntityTypeConfiguration<SamplingSiteStaff>
{
    public void Configure(EntityTypeBuilder<SamplingSiteStaff> builder)
    {
        builder.ToTable("SamplingSiteStaff");
        builder.Property(s => s.AccountName).HasMaxLength(100);
        builder.HasIndex(s => new { s.SiteId, s.AccountId }).IsUnique();
        builder.HasIndex(s => s.AccountId);
        builder.HasOne<SamplingSite>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class TubeConfiguration : IEntityTypeConfiguration<Tube>
{
    public void Configure(EntityTypeBuilder<Tube> builder)
    {
        builder.ToTable("Tubes");
        builder.Property(t => t.Barcode).HasMaxLength(40);
        builder.Property(t => t.OpenedByName).HasMaxLength(100);
        builder.Property(t => t.CtValues).HasMaxLength(100);
        builder.Property(t => t.Lab).HasMaxLength(100);
        // Barcodes are printed once by the maker: one tube per barcode, ever.
        builder.HasIndex(t => t.Barcode).IsUnique();
        builder.HasIndex(t => new { t.RoundId, t.SiteId, t.State });
        builder.HasIndex(t => new { t.RoundId, t.Result });
        builder.HasIndex(t => t.BoxId);
    }
}

public sealed class SampleConfiguration : IEntityTypeConfiguration<Sample>
{
    public void Configure(EntityTypeBuilder<Sample> builder)
    {
        builder.ToTable("Samples");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.SamplerName).HasMaxLength(100);
        builder.Property(s => s.RemovedByName).HasMaxLength(100);
        // Few indexes, one of them on a random key: every sample insert dirties a page of each random-keyed index, and the
        // sampling writer's commits are those pages. IX_Samples_Live answers the coverage summary's probe (a live sample of this
        // person in this round) from the index alone, and a person's samples across rounds (results, retests) by its prefix.
        builder.HasIndex(s => new { s.PersonId, s.RoundId }, "IX_Samples_Live").HasFilter("\"RemovedAt\" IS NULL");
        builder.HasIndex(s => s.TubeId);
    }
}

public sealed class TransferBoxConfiguration : IEntityTypeConfiguration<TransferBox>
{
    public void Configure(EntityTypeBuilder<TransferBox> builder)
    {
        builder.ToTable("TransferBoxes");
        builder.Property(b => b.Number).HasMaxLength(40);
        builder.Property(b => b.HandedOverByName).HasMaxLength(100);
        builder.Property(b => b.Lab).HasMaxLength(100);
        builder.HasIndex(b => b.Number).IsUnique();
        builder.HasIndex(b => new { b.RoundId, b.SiteId });
    }
}

public sealed class RetestConfiguration : IEntityTypeConfiguration<Retest>
{
    public void Configure(EntityTypeBuilder<Retest> builder)
    {
        builder.ToTable("Retests");
        // One retest per member of a tube: a result imported twice does not open a second.
        builder.HasIndex(r => new { r.TubeId, r.PersonId }).IsUnique();
        builder.HasIndex(r => new { r.PersonId, r.State });
        builder.HasIndex(r => new { r.RoundId, r.CommunityCode, r.GridId, r.State });
    }
}
