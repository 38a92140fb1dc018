using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Domain.People;

namespace Shouwang.Web.Features.PersonCodes;

public sealed class PersonCodeConfiguration : IEntityTypeConfiguration<PersonCode>
{
    public void Configure(EntityTypeBuilder<PersonCode> builder)
    {
        builder.ToTable("PersonCodes");
        builder.HasKey(c => c.PersonId);
        builder.Property(c => c.PersonId).ValueGeneratedNever();
        builder.Property(c => c.RevokedReason).HasMaxLength(200);
        builder.HasOne<Person>().WithOne().HasForeignKey<PersonCode>(c => c.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
