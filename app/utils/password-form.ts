import { z } from 'zod'

/** The password box of the sign-in and confirm-password forms. */
export const PasswordSchema = z
  .string({ error: 'Enter your password' })
  .min(1, 'Enter your password')
  .max(200, 'Password must be 200 characters or fewer')

/** Until when signing in is paused, as a time of day in the UK. */
export const PAUSE_TIME_FORMAT = new Intl.DateTimeFormat('en-GB', {
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'Europe/London',
})
