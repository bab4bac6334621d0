-- AlterTable
ALTER TABLE "workflow_versions" ADD COLUMN "actions" TEXT;
