"""Words and wires of the reminders: what a notification says (messages), how it is laid out for e-mail and robots
(render), and the senders (mail over SMTP, robots over HTTPS). No database access: services call these."""
