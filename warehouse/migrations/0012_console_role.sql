-- The console's role (console/, `cinegraph console`; its login password is set by
-- orchestration.warehouse.secure_console_role). It reads what the serving API reads (the
-- marts, and the ml, app, intermediate and raw tables behind them; `raw` for the known-user
-- check) and writes only the app tables a console page changes: custom weight profiles
-- with their history, feedback events, conversations, taste profiles and the picks refresh
-- queue that the conversation trigger fills. It owns nothing and may create nothing, so a page can run no DDL.

do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'console_app') then
        create role console_app nologin;
    end if;
end
$$;

grant usage on schema marts, ml, app, intermediate, raw to console_app;
grant select on all tables in schema marts, ml, app, intermediate, raw to console_app;
-- dbt and the assets recreate these tables on every run; default privileges re-grant them.
alter default privileges in schema marts, ml, app, intermediate, raw
grant select on tables to console_app;

grant insert, update, delete on app.custom_weight_profiles to console_app;
grant insert, update, delete on app.custom_profile_metric_weights to console_app;
grant insert on app.weight_profile_history to console_app;
grant insert on app.feedback_events to console_app;
grant insert on app.conversations to console_app;
grant insert, update on app.taste_profiles to console_app;
grant insert, update on app.recommendation_refresh_queue to console_app;
grant usage on all sequences in schema app to console_app;
