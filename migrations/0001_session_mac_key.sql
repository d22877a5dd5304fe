CREATE TABLE `app_keys` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
-- Added by hand (data, not schema): a random 256-bit key per database, for signing session cookies.
INSERT INTO `app_keys` (`name`, `value`) VALUES ('session-mac', lower(hex(randomblob(32))));
