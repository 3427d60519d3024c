// The console's pages, each loaded when first visited (route-level code
// splitting), and who may open which. A session that ends returns to the
// sign-in page with the page it was on, and comes back there after.
import {
  createRouter,
  createWebHistory,
  type RouteRecordRaw,
} from "vue-router";
import { Role } from "@/gen/uplift/auth/v1/token_pb";
import { useSession } from "@/stores/session";

declare module "vue-router" {
  interface RouteMeta {
    title?: string;
    public?: boolean;
    roles?: Role[];
  }
}

const OVERVIEW = [Role.PLAN_OWNER, Role.LEADER, Role.VIEWER, Role.ADMIN];

export const routes: RouteRecordRaw[] = [
  {
    path: "/login",
    component: () => import("@/pages/LoginPage.vue"),
    meta: { title: "登录", public: true },
  },
  {
    path: "/change-password",
    component: () => import("@/pages/ChangePasswordPage.vue"),
    meta: { title: "修改密码" },
  },
  {
    path: "/",
    component: () => import("@/pages/WorkbenchPage.vue"),
    meta: { title: "工作台" },
  },
  {
    path: "/war-room",
    component: () => import("@/pages/WarRoomPage.vue"),
    meta: { title: "挂图作战", roles: OVERVIEW },
  },
  {
    path: "/problems",
    component: () => import("@/pages/ProblemsPage.vue"),
    meta: { title: "问题" },
  },
  {
    path: "/problems/new",
    component: () => import("@/pages/ProblemNewPage.vue"),
    meta: { title: "反映问题", roles: [Role.TOWNSHIP, Role.ADMIN] },
  },
  {
    path: "/problems/:id",
    component: () => import("@/pages/ProblemPage.vue"),
    meta: { title: "问题详情" },
  },
  {
    path: "/inbox",
    component: () => import("@/pages/InboxPage.vue"),
    meta: { title: "消息" },
  },
  {
    path: "/tasks",
    component: () => import("@/pages/TasksPage.vue"),
    meta: { title: "任务与月调度" },
  },
  {
    path: "/tasks/:id",
    component: () => import("@/pages/TaskPage.vue"),
    meta: { title: "任务详情" },
  },
  {
    path: "/projects",
    component: () => import("@/pages/ProjectsPage.vue"),
    meta: { title: "重点项目" },
  },
  {
    path: "/projects/:id",
    component: () => import("@/pages/ProjectPage.vue"),
    meta: { title: "项目详情" },
  },
  {
    path: "/activities",
    component: () => import("@/pages/ActivitiesPage.vue"),
    meta: { title: "服务活动" },
  },
  {
    path: "/enterprises",
    component: () => import("@/pages/EnterprisesPage.vue"),
    meta: { title: "企业" },
  },
  {
    path: "/enterprises/:code",
    component: () => import("@/pages/EnterprisePage.vue"),
    meta: { title: "一企一档" },
  },
  {
    path: "/reports",
    component: () => import("@/pages/ReportsPage.vue"),
    meta: { title: "报表" },
  },
  {
    path: "/admin",
    component: () => import("@/pages/AdminPage.vue"),
    meta: { title: "管理", roles: [Role.ADMIN] },
  },
  {
    path: "/a/:token",
    component: () => import("@/pages/AckLinkPage.vue"),
    meta: { title: "确认收到" },
  },
  {
    path: "/:rest(.*)*",
    component: () => import("@/pages/NotFoundPage.vue"),
    meta: { title: "未找到" },
  },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  const session = useSession();
  await session.load();
  if (to.meta.public)
    return session.signedIn && to.path === "/login" ? "/" : true;
  if (!session.signedIn)
    return { path: "/login", query: { next: to.fullPath } };
  if (session.mustChangePassword && to.path !== "/change-password") {
    return { path: "/change-password", query: { next: to.fullPath } };
  }
  if (to.meta.roles && !session.hasRole(...to.meta.roles))
    return { path: "/", query: { denied: to.path } };
  return true;
});

router.afterEach((to) => {
  document.title = `${to.meta.title ?? ""} · 产业集群提质跃升`;
});
