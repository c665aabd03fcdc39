"""Models (scikit-learn, statsmodels), importable and testable without Dagster."""
