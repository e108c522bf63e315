// Cornerstone3D set-up, done once: core + tools, and a tool group for the three slice views.
import { init as coreInit, RenderingEngine } from '@cornerstonejs/core';
import {
  addTool,
  Enums as ToolEnums,
  init as toolsInit,
  LengthTool,
  PanTool,
  ProbeTool,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  annotation,
} from '@cornerstonejs/tools';
import { sixteenBitSlices } from './sliceUpload';

export const TOOL_GROUP = 'slices';
let ready: Promise<void> | null = null;

export function initCornerstone(): Promise<void> {
  ready ??= (async () => {
    sixteenBitSlices();
    // one WebGL context: the three slice views are volume viewports, which all draw in the first
    // context anyway (Cornerstone's default pool of 7 costs a context creation each, for nothing)
    // (init deep-merges a partial configuration over its defaults; its type asks for every field)
    await coreInit({ rendering: { webGlContextCount: 1 } } as Parameters<typeof coreInit>[0]);
    toolsInit();
    // the HU probe and the ruler (mm) are Cornerstone's own annotation tools, passive until chosen
    const tools = [StackScrollTool, WindowLevelTool, ZoomTool, PanTool, ProbeTool, LengthTool];
    for (const t of tools) addTool(t);
    const group = ToolGroupManager.createToolGroup(TOOL_GROUP)!;
    for (const t of tools) group.addTool(t.toolName);
    const { MouseBindings } = ToolEnums;
    group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
    group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
    group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
    group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
    group.setToolPassive(ProbeTool.toolName);
    group.setToolPassive(LengthTool.toolName);
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

/** What the primary (left) button does in the slice views besides our own tools. */
export type PrimaryTool = 'window' | 'probe' | 'ruler' | 'none';

/**
 * Gives the left button to window/level, the HU probe or the ruler, or to none of them (our own tools
 * then take the drag). Measurements stay on the slices, editable, until cleared.
 */
export function setPrimaryTool(t: PrimaryTool): void {
  const group = ToolGroupManager.getToolGroup(TOOL_GROUP);
  if (!group) return;
  const primary = { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] };
  const names = { window: WindowLevelTool.toolName, probe: ProbeTool.toolName, ruler: LengthTool.toolName } as const;
  for (const [k, name] of Object.entries(names)) {
    if (k === t) group.setToolActive(name, primary);
    else group.setToolPassive(name);
  }
}

/** Removes every probe and ruler measurement (a new scan, or "Clear measurements"). */
export function clearMeasurements(): void {
  annotation.state.removeAllAnnotations();
  engine?.render();
}
