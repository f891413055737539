/**
 * The lecture's priority on a weak link (issue 17): what one viewer receives when its link cannot
 * carry everything. Sound is never on the ladder; the trainer's camera goes first, the slides last.
 */
import { z } from 'zod';

/**
 * The ladder's steps, best first (the server's LecturePriority applies them):
 *   full         everything at the quality the viewer's size asks for
 *   camera-mid   the camera at most its middle layer (360p)
 *   camera-low   the camera at its lowest layer (180p)
 *   camera-slow  the camera at its lowest layer and frame rate
 *   camera-off   the camera paused; sound and slides only
 *   slides-slow  the slides at full resolution, a lower frame rate
 *   slides-min   the slides at full resolution, their lowest frame rate
 */
export const PRIORITY_STEPS = ['full', 'camera-mid', 'camera-low', 'camera-slow', 'camera-off', 'slides-slow', 'slides-min'] as const;
export const priorityStepSchema = z.enum(PRIORITY_STEPS);
export type PriorityStep = z.infer<typeof priorityStepSchema>;

/** What a viewer is told when its step changes (`receivePriority`) and answered by `setReceiveMode`. */
export const receivePrioritySchema = z.object({
  step: priorityStepSchema,
  /** The viewer chose "audio and slides only" itself (the camera stays paused whatever the link). */
  manual: z.boolean(),
});
export type ReceivePriority = z.infer<typeof receivePrioritySchema>;
