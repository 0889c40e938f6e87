/** The clock of the submission transport is the network layer's. */
export { type Clock, skewedClock, systemClock } from '../net/clock.js';
