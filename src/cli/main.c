/* trienkhai: one binary for the web interface, the JSON API and the command line. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/config.h"

static void usage(FILE *out)
{
    fputs("Cách dùng / usage: trienkhai LỆNH [tham số]\n"
          "\n"
          "  serve                 chạy giao diện web và API / serve the web interface and API\n"
          "  demo                  tạo cơ sở dữ liệu mới với dữ liệu mẫu / create a new database with the demo data\n"
          "  migrate               tạo hoặc nâng cấp cơ sở dữ liệu / create or upgrade the database\n"
          "  period VĂN BẢN        đọc thời hạn, in ngày đầu và ngày cuối / read a period, print first and last day\n"
          "  task list|show|update|extend   nhiệm vụ / tasks\n"
          "  org list|show         đơn vị / organizations\n"
          "  dashboard --org ID    tổng quan một đơn vị / dashboard of an organization subtree\n"
          "  report status --schedule ID --period 2021-Q2 [--org ID]\n"
          "                        tình hình nộp báo cáo định kỳ / completeness of a reporting period\n"
          "  remind [--dry-run] [--json]   nhắc đơn vị chưa nộp báo cáo (ứng dụng, thư) / remind units of outstanding reports\n"
          "  import tasks|organizations|indicator-values TỆP.csv|.xlsx [--dry-run] [--json]\n"
          "                        nhập từ bảng tính / import from a spreadsheet\n"
          "  init                  tạo quản trị viên đầu tiên / create the first administrator\n"
          "  user add|passwd|disable|grant|revoke|list   tài khoản và quyền / accounts and grants\n"
          "  token add|revoke      khóa API cho chương trình / API tokens for scripts\n"
          "  audit verify|list     kiểm tra, xem nhật ký / verify or read the audit log\n"
          "  config                in các thiết lập đang dùng / print the effective settings\n"
          "\n"
          "Thiết lập chung / common settings: --db FILE, --listen ADDR, --port N, --threads N, --config FILE\n"
          "(hoặc biến môi trường / or environment TK_DB, TK_LISTEN, TK_PORT, TK_THREADS)\n",
          out);
}

int main(int argc, char **argv)
{
    tk_config config;
    tk_error err;
    tk_error_clear(&err);
    if (tk_config_load(&config, &argc, argv, &err)) {
        tk_cli_report(&err);
        return 2;
    }
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    int sub_argc = argc - 1;
    char **sub_argv = argv + 1;
    if (strcmp(cmd, "period") == 0) return tk_cmd_period(sub_argc, sub_argv);
    if (strcmp(cmd, "serve") == 0) return tk_cmd_serve(&config, sub_argc, sub_argv);
    if (strcmp(cmd, "demo") == 0) return tk_cmd_demo(&config, sub_argc, sub_argv);
    if (strcmp(cmd, "migrate") == 0) return tk_cmd_migrate(&config, sub_argc, sub_argv);
    if (strcmp(cmd, "task") == 0) return tk_cmd_task(&config, sub_argc, sub_argv);
    if (strcmp(cmd, "org") == 0) return tk_cmd_org(&config, sub_argc, sub_argv);
    if (strcmp(cmd, "dashboard") == 0) return tk_cmd_dashboard(&config, sub_argc, sub_argv);
    if (strcmp(cmd, "report") == 0) return tk_cmd_report(&config, sub_argc, sub_argv);
    if (strcmp(cmd, "remind") == 0) return tk_cmd_remind(&config, sub_argc, sub_argv);
    if (strcmp(cmd, "import") == 0) return tk_cmd_import(&config, sub_argc, sub_argv);
    if (strcmp(cmd, "init") == 0) return tk_cmd_init(&config, sub_argc, sub_argv);
    if (strcmp(cmd, "user") == 0) return tk_cmd_user(&config, sub_argc, sub_argv);
    if (strcmp(cmd, "token") == 0) return tk_cmd_token(&config, sub_argc, sub_argv);
    if (strcmp(cmd, "audit") == 0) return tk_cmd_audit(&config, sub_argc, sub_argv);
    if (strcmp(cmd, "config") == 0) {
        tk_config_print(&config);
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "trienkhai: không có lệnh \"%s\" / unknown command\n\n", cmd);
    usage(stderr);
    return 2;
}
