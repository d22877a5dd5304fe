ALTER TABLE `users` ADD `online_since` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `online_until` integer DEFAULT 0 NOT NULL;