using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Shouwang.Web.Features.Accounts;

public sealed class StaffAccountConfiguration : IEntityTypeConfiguration<StaffAccount>
{
    public void Configure(EntityTypeBuilder<StaffAccount> builder)
    {
        builder.ToTable("Accounts");
        builder.Property(a => a.DisplayName).HasMaxLength(50);
        builder.Property(a => a.NodeCode).HasMaxLength(12);
        builder.HasIndex(a => new { a.NodeMin, a.NodeMax });
        builder.HasIndex(a => a.IsDemo);
    }
}
