using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Domain.Jurisdictions;

namespace Shouwang.Web.Features.Jurisdictions;

public sealed class JurisdictionConfiguration : IEntityTypeConfiguration<Jurisdiction>
{
    public void Configure(EntityTypeBuilder<Jurisdiction> builder)
    {
        builder.HasKey(j => j.Code);
        builder.Property(j => j.Code).HasMaxLength(12);
        builder.Property(j => j.ParentCode).HasMaxLength(12);
        builder.Property(j => j.Name).HasMaxLength(100);
        builder.Property(j => j.TimeZone).HasMaxLength(64);
        builder.HasIndex(j => j.ParentCode);
    }
}
