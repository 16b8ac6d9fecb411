"""What a user asks for, on files: load any report, check, fill, check two years, batch, aggregate."""
