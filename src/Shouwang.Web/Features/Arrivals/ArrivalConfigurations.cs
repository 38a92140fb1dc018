using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Domain.Arrivals;

namespace Shouwang.Web.Features.Arrivals;

public sealed class ArrivalReportConfiguration : IEntityTypeConfiguration<ArrivalReport>
{
    public void Configure(EntityTypeBuilder<ArrivalReport> builder)
    {
        builder.ToTable("ArrivalReports");
        builder.Property(a => a.Number).HasMaxLength(20);
        builder.Property(a => a.DocumentNumber).HasMaxLength(40);
        builder.Property(a => a.Name).HasMaxLength(50);
        builder.Property(a => a.Phone).HasMaxLength(20);
        builder.Property(a => a.OriginCode).HasMaxLength(12);
        builder.Property(a => a.OriginName).HasMaxLength(200);
        builder.Property(a => a.Route).HasMaxLength(500);
        builder.Property(a => a.TransportDetail).HasMaxLength(50);
        builder.Property(a => a.StayAddress).HasMaxLength(200);
        builder.Property(a => a.ReviewNote).HasMaxLength(500);
        builder.Property(a => a.ReviewedByName).HasMaxLength(100);
        builder.HasIndex(a => a.Number).IsUnique();
        builder.HasIndex(a => new { a.CommunityCode, a.State, a.CreatedAt });
        builder.HasIndex(a => a.DocumentNumber);
    }
}

public sealed class ExternalRiskRegionConfiguration : IEntityTypeConfiguration<ExternalRiskRegion>
{
    public void Configure(EntityTypeBuilder<ExternalRiskRegion> builder)
    {
        builder.ToTable("ExternalRiskRegions");
        builder.Property(r => r.DivisionCode).HasMaxLength(12);
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Source).HasMaxLength(200);
        builder.Property(r => r.UpdatedByName).HasMaxLength(100);
        builder.HasIndex(r => new { r.DivisionCode, r.FromDay });
    }
}
