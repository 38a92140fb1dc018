using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Domain.Registry;
using Shouwang.Domain.RiskAreas;

namespace Shouwang.Web.Features.RiskAreas;

public sealed class RiskAreaConfiguration : IEntityTypeConfiguration<RiskArea>
{
    public void Configure(EntityTypeBuilder<RiskArea> builder)
    {
        builder.ToTable("RiskAreas");
        builder.Property(a => a.Name).HasMaxLength(200);
        builder.Property(a => a.Reason).HasMaxLength(500);
        builder.Property(a => a.CreatedByName).HasMaxLength(100);
        builder.HasIndex(a => new { a.CommunityCode, a.State });
        builder.HasIndex(a => new { a.State, a.BuildingId });
        builder.HasIndex(a => new { a.State, a.CompoundId });
        builder.HasOne<Compound>().WithMany().HasForeignKey(a => a.CompoundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Building>().WithMany().HasForeignKey(a => a.BuildingId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class RiskAreaEventConfiguration : IEntityTypeConfiguration<RiskAreaEvent>
{
    public void Configure(EntityTypeBuilder<RiskAreaEvent> builder)
    {
        builder.ToTable("RiskAreaEvents");
        builder.Property(e => e.Note).HasMaxLength(500);
        builder.Property(e => e.ByName).HasMaxLength(100);
        builder.HasIndex(e => new { e.RiskAreaId, e.At });
        builder.HasOne<RiskArea>().WithMany().HasForeignKey(e => e.RiskAreaId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class RiskAreaScreeningConfiguration : IEntityTypeConfiguration<RiskAreaScreening>
{
    public void Configure(EntityTypeBuilder<RiskAreaScreening> builder)
    {
        builder.ToTable("RiskAreaScreenings");
        builder.Property(s => s.RecordedByName).HasMaxLength(100);
        builder.HasIndex(s => new { s.RiskAreaId, s.Day }).IsUnique();
        builder.HasOne<RiskArea>().WithMany().HasForeignKey(s => s.RiskAreaId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class RiskAreaReleaseProposalConfiguration : IEntityTypeConfiguration<RiskAreaReleaseProposal>
{
    public void Configure(EntityTypeBuilder<RiskAreaReleaseProposal> builder)
    {
        builder.ToTable("RiskAreaReleaseProposals");
        builder.Property(p => p.PolicyCode).HasMaxLength(40);
        builder.Property(p => p.DecidedByName).HasMaxLength(100);
        builder.Property(p => p.DecisionNote).HasMaxLength(500);
        // The daily evaluation proposes an area's release at most once a day, however often it runs.
        builder.HasIndex(p => new { p.RiskAreaId, p.ProposedOn }).IsUnique();
        builder.HasIndex(p => new { p.CommunityCode, p.State });
        builder.HasOne<RiskArea>().WithMany().HasForeignKey(p => p.RiskAreaId).OnDelete(DeleteBehavior.Cascade);
    }
}
