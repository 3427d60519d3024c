// Which pages each role finds in the menu.
import { Role } from "@/gen/uplift/auth/v1/token_pb";

export interface MenuItem {
  path: string;
  title: string;
  roles?: Role[];
}

const OVERVIEW = [Role.PLAN_OWNER, Role.LEADER, Role.VIEWER, Role.ADMIN];

export const MENU: MenuItem[] = [
  { path: "/", title: "工作台" },
  { path: "/war-room", title: "挂图作战", roles: OVERVIEW },
  { path: "/problems", title: "问题" },
  { path: "/inbox", title: "消息" },
  { path: "/tasks", title: "任务与月调度" },
  { path: "/projects", title: "重点项目" },
  { path: "/activities", title: "服务活动" },
  { path: "/enterprises", title: "企业" },
  { path: "/reports", title: "报表" },
  { path: "/admin", title: "管理", roles: [Role.ADMIN] },
];

export function menuFor(role: Role): MenuItem[] {
  return MENU.filter((m) => !m.roles || m.roles.includes(role));
}
