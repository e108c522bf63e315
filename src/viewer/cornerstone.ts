// Cornerstone3D set-up, done once: core + tools, and a tool group for the three slice views.
import { init as coreInit, RenderingEngine } from '@cornerstonejs/core';
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
    // one WebGL context: the three slice views are volume viewports, which all draw in the first
    // context anyway (Cornerstone's default pool of 7 costs a context creation each, for nothing)
    // (init deep-merges a partial configuration over its defaults; its type asks for every field)
    await coreInit({ rendering: { webGlContextCount: 1 } } as Parameters<typeof coreInit>[0]);
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

export const ENGINE = 'slice-engine';
let engine: RenderingEngine | null = null;

/**
 * The slice views' rendering engine, made once. Creating it (WebGL context, shaders) takes a few
 * hundred milliseconds, so the app asks for it as soon as a load starts, while files are still read.
 */
export async function sliceEngine(): Promise<RenderingEngine> {
  await initCornerstone();
  return (engine ??= new RenderingEngine(ENGINE));
}

/** Destroys the slice views' rendering engine (when the views go away); the next sliceEngine() makes a new one. */
export function releaseSliceEngine(): void {
  engine?.destroy();
  engine = null;
}
