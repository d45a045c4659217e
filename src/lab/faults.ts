// PLACEHOLDER owned by standins engineer: replaced by the real fault catalogue.
export const FAULTS: { id: string; outcome: string; description: string; script: string }[] = [];
