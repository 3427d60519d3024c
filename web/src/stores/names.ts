// Names of units and clusters, loaded once: the console shows 市自然资源和规划局,
// never dept-zrj.
import { defineStore } from "pinia";
import { ref } from "vue";
import { registry } from "@/api/clients";
import type { Cluster, Unit } from "@/gen/uplift/registry/v1/registry_pb";
import { UnitKind } from "@/gen/uplift/registry/v1/registry_pb";

export const useNames = defineStore("names", () => {
  const units = ref<Unit[]>([]);
  const clusters = ref<Cluster[]>([]);
  let loading: Promise<void> | null = null;

  function load(): Promise<void> {
    loading ??= (async () => {
      const us: Unit[] = [];
      let pageToken = "";
      do {
        const r = await registry.listUnits({ pageSize: 500, pageToken });
        us.push(...r.units);
        pageToken = r.nextPageToken;
      } while (pageToken);
      const cs: Cluster[] = [];
      pageToken = "";
      do {
        const r = await registry.listClusters({ pageSize: 500, pageToken });
        cs.push(...r.clusters);
        pageToken = r.nextPageToken;
      } while (pageToken);
      units.value = us;
      clusters.value = cs;
    })().catch((e) => {
      loading = null;
      throw e;
    });
    return loading;
  }

  function unit(id: string): string {
    if (!id) return "";
    return units.value.find((u) => u.unitId === id)?.name ?? id;
  }

  function cluster(id: string): string {
    if (!id) return "";
    return clusters.value.find((c) => c.clusterId === id)?.name ?? id;
  }

  function townships(): Unit[] {
    const kinds = [
      UnitKind.TOWNSHIP,
      UnitKind.SUBDISTRICT,
      UnitKind.DEVELOPMENT_ZONE,
    ];
    return units.value.filter((u) => kinds.includes(u.kind));
  }

  function reset(): void {
    loading = null;
    units.value = [];
    clusters.value = [];
  }

  return { units, clusters, load, unit, cluster, townships, reset };
});
