-- AlterTable
ALTER TABLE "ImportJob" ADD COLUMN     "startedAt" TIMESTAMP(3);

