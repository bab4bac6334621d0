-- AlterTable
ALTER TABLE "workflow_versions" ADD COLUMN     "scenarios" TEXT;

-- AlterTable
ALTER TABLE "workflows" ADD COLUMN     "require_passing_scenarios" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "workflow_scenarios" (
    "id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "workflow_scenarios_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "workflow_scenarios_workflow_id_name_key" ON "workflow_scenarios"("workflow_id", "name");

-- AddForeignKey
ALTER TABLE "workflow_scenarios" ADD CONSTRAINT "workflow_scenarios_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
