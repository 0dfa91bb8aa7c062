/** A failure with a message meant for the user as is (the CLI prints no stack trace). */
export class StackError extends Error {}
