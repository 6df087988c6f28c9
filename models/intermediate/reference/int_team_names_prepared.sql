/*
    Every name a team goes by, lower-cased, with the team it stands for: its own team_id
    (teams) and its aliases (team_aliases: a gateway's team alias or team id, another spelling
    callers tag with). A team's own id wins over an alias of the same spelling. Requests'
    team tags and gateway teams are matched here case-insensitively.
*/

with

teams as (
    select * from {{ ref('teams') }}
),

team_aliases as (
    select * from {{ ref('team_aliases') }}
),

names as (
    select
        lower(team_id) as team_name_key,
        team_id,
        1 as name_rank
    from teams
    union all
    select
        lower(alias) as team_name_key,
        team_id,
        2 as name_rank
    from team_aliases
),

ranked as (
    select
        *,
        row_number() over (partition by team_name_key order by name_rank) as rank_in_name
    from names
),

final as (
    select
        team_name_key,
        team_id
    from ranked
    where rank_in_name = 1
)

select * from final
