export interface WindowPreset {
  label: string;
  width: number;
  level: number;
}

export const WINDOW_PRESETS: WindowPreset[] = [
  { label: 'Bone', width: 1800, level: 400 },
  { label: 'Soft tissue', width: 400, level: 40 },
  { label: 'Brain', width: 80, level: 40 },
  { label: 'Lung', width: 1500, level: -600 },
];

export const voiOf = (p: WindowPreset) => ({ lower: p.level - p.width / 2, upper: p.level + p.width / 2 });
