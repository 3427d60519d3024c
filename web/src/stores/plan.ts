// The plan the console works on: the newest applied (ListPlans), or the one
// the person chose; its problem categories and tasks' names come with it.
import { defineStore } from "pinia";
import { ref } from "vue";
import { tasks } from "@/api/clients";
import type { Plan } from "@/gen/uplift/tasks/v1/tasks_pb";

const CHOSEN = "uplift.plan";

export const usePlan = defineStore("plan", () => {
  const plans = ref<Plan[]>([]);
  const plan = ref<Plan | null>(null);
  let loading: Promise<Plan | null> | null = null;

  function load(): Promise<Plan | null> {
    loading ??= (async () => {
      plans.value = (await tasks.listPlans({})).plans;
      const chosen = localStorage.getItem(CHOSEN);
      const id =
        plans.value.find((p) => p.planId === chosen)?.planId ??
        plans.value[0]?.planId;
      plan.value = id
        ? ((await tasks.getPlan({ planId: id })).plan ?? null)
        : null;
      return plan.value;
    })().catch((e) => {
      loading = null;
      throw e;
    });
    return loading;
  }

  async function choose(planId: string): Promise<void> {
    localStorage.setItem(CHOSEN, planId);
    loading = null;
    await load();
  }

  function category(id: string): string {
    return (
      plan.value?.problemCategories.find((c) => c.categoryId === id)?.name ?? id
    );
  }

  function taskTitle(id: string): string {
    const t = plan.value?.tasks.find((x) => x.taskId === id);
    return t ? `${t.number} ${t.title}` : id;
  }

  return { plans, plan, load, choose, category, taskTitle };
});
