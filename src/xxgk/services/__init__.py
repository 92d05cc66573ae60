"""The application's use cases as plain functions over a database session and a user.
Permissions (role × node scope) are decided here, in the queries, once: the web app and the
CLI call these functions and never query the database themselves."""
