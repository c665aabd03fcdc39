-- Role-true person quality (ml/people/quality.py): the share of a person's films in the role
-- released when an award of that role existed (pqs_award_categories.first_year). The
-- award-bearing components weigh in proportion to it, so a career before the first
-- ceremony is not marked down for prizes nobody gave yet.

alter table ml.person_quality_scores add column if not exists award_eligible_share float8;

alter table ml.person_quality_asof add column if not exists award_eligible_share float8;
