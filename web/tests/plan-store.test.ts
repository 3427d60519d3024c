// The plan store: the newest applied plan by default; a plan the person
// chose is kept across page loads, and forgotten once it is no longer listed.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createPinia, setActivePinia } from "pinia";
import { create } from "@bufbuild/protobuf";
import { PlanSchema } from "@/gen/uplift/tasks/v1/tasks_pb";

const listed = { ids: ["xinle-2024", "xinle-2023"] };
const plan = (planId: string) =>
  create(PlanSchema, { planId, year: Number(planId.slice(-4)) });

vi.mock("@/api/clients", () => ({
  tasks: {
    listPlans: vi.fn(async () => ({ plans: listed.ids.map(plan) })),
    getPlan: vi.fn(async ({ planId }: { planId: string }) => ({
      plan: plan(planId),
    })),
  },
}));

const { usePlan } = await import("@/stores/plan");

// A page load: a fresh store, the same browser storage.
function pageLoad() {
  setActivePinia(createPinia());
  return usePlan();
}

describe("the plan store", () => {
  beforeEach(() => {
    localStorage.clear();
    listed.ids = ["xinle-2024", "xinle-2023"];
  });

  it("shows the newest applied plan unless one was chosen", async () => {
    const store = pageLoad();
    expect((await store.load())?.planId).toBe("xinle-2024");
    expect(store.plans.map((p) => p.planId)).toEqual(listed.ids);
  });

  it("keeps the chosen plan across page loads", async () => {
    const store = pageLoad();
    await store.load();
    await store.choose("xinle-2023");
    expect(store.plan?.year).toBe(2023);
    expect((await pageLoad().load())?.planId).toBe("xinle-2023");
  });

  it("falls back to the newest when the chosen plan is gone", async () => {
    await pageLoad().choose("xinle-2023");
    listed.ids = ["xinle-2024"];
    expect((await pageLoad().load())?.planId).toBe("xinle-2024");
  });
});
