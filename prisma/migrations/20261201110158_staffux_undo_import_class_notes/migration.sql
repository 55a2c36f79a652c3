-- AlterTable
ALTER TABLE "ImportJob" ADD COLUMN     "removed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "undoneAt" TIMESTAMP(3),
ADD COLUMN     "undoneById" TEXT;

-- AlterTable
ALTER TABLE "ClassSession" ADD COLUMN     "notes" TEXT;

