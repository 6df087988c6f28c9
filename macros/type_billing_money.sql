{#
    An amount in the billing currency of the FOCUS export (the reporting currency): the exact
    scale of a converted amount (convert_currency gives decimal(38,20)), so that the export's
    sums equal the chargeback's to the last decimal.
#}
{% macro type_billing_money() -%}decimal(38, 20){%- endmacro %}
