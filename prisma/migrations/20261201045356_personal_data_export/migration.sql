-- AlterTable
ALTER TABLE "RoleAssignment" ADD COLUMN     "personalDataExport" BOOLEAN NOT NULL DEFAULT false;

