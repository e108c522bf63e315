// Cornerstone3D set-up, done once: core + tools, and a tool group for the three slice views.
import { init as coreInit } from '@cornerstonejs/core';
import {
  addTool,
  Enums as ToolEnums,
  init as toolsInit,
  PanTool,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';

export const TOOL_GROUP = 'slices';
let ready: Promise<void> | null = null;

export function initCornerstone(): Promise<void> {
  ready ??= (async () => {
    await coreInit();
    toolsInit();
    for (const t of [StackScrollTool, WindowLevelTool, ZoomTool, PanTool]) addTool(t);
    const group = ToolGroupManager.createToolGroup(TOOL_GROUP)!;
    for (const t of [StackScrollTool, WindowLevelTool, ZoomTool, PanTool]) group.addTool(t.toolName);
    const { MouseBindings } = ToolEnums;
    group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
    group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
    group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
    group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
  })();
  return ready;
}
