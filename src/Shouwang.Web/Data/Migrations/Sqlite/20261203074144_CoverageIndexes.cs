using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shouwang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CoverageIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Samples_Live",
                table: "Samples",
                columns: new[] { "RoundId", "PersonId" },
                filter: "\"RemovedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Persons_Coverage",
                table: "Persons",
                columns: new[] { "CommunityCode", "ResidenceType", "BirthDate", "GridId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Samples_Live",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Persons_Coverage",
                table: "Persons");
        }
    }
}
