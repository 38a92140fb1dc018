using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shouwang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CoverageIndexInProbeOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Persons_Coverage",
                table: "Persons");

            migrationBuilder.CreateIndex(
                name: "IX_Persons_Coverage",
                table: "Persons",
                columns: new[] { "CommunityCode", "GridId", "Id", "ResidenceType", "BirthDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Persons_Coverage",
                table: "Persons");

            migrationBuilder.CreateIndex(
                name: "IX_Persons_Coverage",
                table: "Persons",
                columns: new[] { "CommunityCode", "ResidenceType", "BirthDate", "GridId", "Id" });
        }
    }
}
