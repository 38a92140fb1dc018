using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Domain.PlaceCodes;

namespace Shouwang.Web.Features.PlaceCodes;

public sealed class PlaceConfiguration : IEntityTypeConfiguration<Place>
{
    public void Configure(EntityTypeBuilder<Place> builder)
    {
        builder.ToTable("Places");
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.Property(p => p.Address).HasMaxLength(200);
        builder.Property(p => p.ContactName).HasMaxLength(50);
        builder.Property(p => p.ContactPhone).HasMaxLength(20);
        builder.HasIndex(p => new { p.CommunityCode, p.Name });
    }
}
